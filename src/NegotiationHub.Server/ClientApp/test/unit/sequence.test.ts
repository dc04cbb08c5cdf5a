import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceTracker } from '../../src/sequence';

test('before a snapshot every message asks for a resync', () => {
  assert.equal(new SequenceTracker().observe(1), 'gap');
});
test('the message after the snapshot is applied and advances the sequence', () => {
  const s = new SequenceTracker();
  s.reset(5);
  assert.equal(s.observe(6), 'apply');
  assert.equal(s.current, 6);
});
test('messages already in the snapshot are stale', () => {
  const s = new SequenceTracker();
  s.reset(5);
  assert.equal(s.observe(5), 'stale');
  assert.equal(s.observe(3), 'stale');
  assert.equal(s.current, 5);
});
test('a skipped sequence number is a gap and does not advance', () => {
  const s = new SequenceTracker();
  s.reset(5);
  assert.equal(s.observe(7), 'gap');
  assert.equal(s.current, 5);
});
test('a snapshot after a gap resumes ordering from its sequence', () => {
  const s = new SequenceTracker();
  s.reset(5);
  s.observe(8);
  s.reset(8);
  assert.equal(s.observe(9), 'apply');
});
test('a snapshot of a session that sent nothing yet has sequence 0', () => {
  const s = new SequenceTracker();
  s.reset(0);
  assert.equal(s.observe(1), 'apply');
});
