import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubErrorText, hubUrl, isRetryable, retryAttempts, retryDelay, retrying } from '../../src/hub';

test('a session link opens the hub at its plain address: any node serves any session (ADR 0019)', () => {
  assert.equal(hubUrl, '/hubs/negotiation');
});

test('a hub error is shown in words, without the invocation preamble or .NET\'s parameter suffix', () => {
  const error = new Error("An unexpected error occurred invoking 'OpenRound' on the server. HubException: deadlineSeconds: must lie in [10, 86400] (Parameter 'deadlineSeconds')");
  assert.equal(hubErrorText(error), 'deadlineSeconds: must lie in [10, 86400]');
});

const moving = new Error("An unexpected error occurred invoking 'JoinSession' on the server. HubException: The session is moving to another node; nothing was written. Try again in a moment (a bid resent with the same bidId is applied once).");
const busy = new Error('HubException: The database is busy; nothing was written. Try again (a bid resent with the same bidId is applied once).');
const notMember = new Error("An unexpected error occurred invoking 'JoinSession' on the server. HubException: You are not a member of this session.");

test('only "nothing was written" refusals are retryable', () => {
  assert.equal(isRetryable(moving), true);
  assert.equal(isRetryable(busy), true);
  assert.equal(isRetryable(notMember), false);
  assert.equal(isRetryable('The session is moving'), false);
});

test('retries wait 250 ms, doubling to at most 2 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 11].map(retryDelay), [250, 500, 1000, 2000, 2000, 2000]);
});

test('a join refused while the session moves is made again until it answers (found by the failover test)', async () => {
  const waits: number[] = [];
  let calls = 0;
  const answer = await retrying(async () => {
    calls++;
    if (calls <= 2) throw moving;
    return 'snapshot';
  }, () => true, async (ms) => { waits.push(ms); });
  assert.equal(answer, 'snapshot');
  assert.equal(calls, 3);
  assert.deepEqual(waits, [250, 500]);
});

test('a refusal for good, a connection gone, or the last attempt is thrown without waiting more', async () => {
  let calls = 0;
  await assert.rejects(retrying(async () => { calls++; throw notMember; }, () => true, async () => {}), notMember);
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(retrying(async () => { calls++; throw moving; }, () => false, async () => {}), moving);
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(retrying(async () => { calls++; throw busy; }, () => true, async () => {}), busy);
  assert.equal(calls, retryAttempts);
});
