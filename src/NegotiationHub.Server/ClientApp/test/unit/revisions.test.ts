import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDelta, parseShares, revisionTimeline } from '../../src/revisions';

const rev = (number: number, shares: number[], optimum?: number[]) =>
  ({ number, kind: number === 0 ? 'agreement' : 'revision', period: number, sharesJson: JSON.stringify(shares), optimumJson: optimum ? JSON.stringify(optimum) : null });

test('revisions are ordered by number and each change is against the revision before it', () => {
  const steps = revisionTimeline([rev(2, [0.52, 0.48], [0.5, 0.5]), rev(0, [0.6, 0.4]), rev(1, [0.55, 0.45], [0.5, 0.5])]);
  assert.deepEqual(steps.map((s) => s.number), [0, 1, 2]);
  assert.deepEqual(steps[0]!.deltas, [null, null]);
  assert.ok(Math.abs(steps[1]!.deltas[0]! - -0.05) < 1e-12 && Math.abs(steps[1]!.deltas[1]! - 0.05) < 1e-12);
  assert.ok(Math.abs(steps[2]!.deltas[0]! - -0.03) < 1e-12);
});

test('the distance to the optimum is the largest share gap, and null without an optimum', () => {
  const steps = revisionTimeline([rev(0, [0.6, 0.4]), rev(1, [0.55, 0.45], [0.5, 0.5])]);
  assert.equal(steps[0]!.distanceToOptimum, null);
  assert.ok(Math.abs(steps[1]!.distanceToOptimum! - 0.05) < 1e-12);
});

test('a party count that changes between revisions gives no deltas rather than wrong ones', () => {
  const steps = revisionTimeline([rev(0, [0.6, 0.4]), rev(1, [0.3, 0.3, 0.4])]);
  assert.deepEqual(steps[1]!.deltas, [null, null, null]);
});

test('shares that are not a JSON array of finite numbers parse as null', () => {
  assert.deepEqual(parseShares('[0.25,0.75]'), [0.25, 0.75]);
  for (const bad of ['', 'not json', '{"a":1}', '[1,"x"]', '[null]', null, undefined]) assert.equal(parseShares(bad), null, String(bad));
});

test('changes display with a sign, zero without one, and unknown as empty', () => {
  assert.equal(formatDelta(0.0125), '+0.0125');
  assert.equal(formatDelta(-0.0125), '−0.0125');
  assert.equal(formatDelta(0.00000001), '0');
  assert.equal(formatDelta(null), '');
});
