import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubUrl } from '../../src/hub';

test('a session link opens the hub with the session as its affinity key', () => {
  assert.equal(hubUrl('5d8f0a3e-2b1c-4e6f-9a7d-0c1b2a3d4e5f'), '/hubs/negotiation?session=5d8f0a3e-2b1c-4e6f-9a7d-0c1b2a3d4e5f');
});
test('the affinity key is escaped into the query', () => {
  assert.equal(hubUrl('a b&c'), '/hubs/negotiation?session=a%20b%26c');
});
