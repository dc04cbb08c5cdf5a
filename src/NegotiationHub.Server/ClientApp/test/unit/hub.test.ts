import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubErrorText, hubUrl } from '../../src/hub';

test('a session link opens the hub with the session as its affinity key', () => {
  assert.equal(hubUrl('5d8f0a3e-2b1c-4e6f-9a7d-0c1b2a3d4e5f'), '/hubs/negotiation?session=5d8f0a3e-2b1c-4e6f-9a7d-0c1b2a3d4e5f');
});
test('the affinity key is escaped into the query', () => {
  assert.equal(hubUrl('a b&c'), '/hubs/negotiation?session=a%20b%26c');
});

test('a hub error is shown in words, without the invocation preamble or .NET\'s parameter suffix', () => {
  const error = new Error("An unexpected error occurred invoking 'OpenRound' on the server. HubException: deadlineSeconds: must lie in [10, 86400] (Parameter 'deadlineSeconds')");
  assert.equal(hubErrorText(error), 'deadlineSeconds: must lie in [10, 86400]');
});
