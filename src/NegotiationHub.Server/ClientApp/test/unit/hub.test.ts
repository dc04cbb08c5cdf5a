import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubErrorText, hubUrl } from '../../src/hub';

test('a session link opens the hub at its plain address: any node serves any session (ADR 0019)', () => {
  assert.equal(hubUrl, '/hubs/negotiation');
});

test('a hub error is shown in words, without the invocation preamble or .NET\'s parameter suffix', () => {
  const error = new Error("An unexpected error occurred invoking 'OpenRound' on the server. HubException: deadlineSeconds: must lie in [10, 86400] (Parameter 'deadlineSeconds')");
  assert.equal(hubErrorText(error), 'deadlineSeconds: must lie in [10, 86400]');
});
