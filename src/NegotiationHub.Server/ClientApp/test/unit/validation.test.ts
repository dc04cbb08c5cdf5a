import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDemand, parseJudgement, parseNumberList } from '../../src/validation';

test('a demand inside [d, K] is accepted with its value', () => {
  assert.deepEqual(checkDemand(' 250.5 ', 100, 1000), { ok: true, value: 250.5 });
});
test('the bounds themselves are valid demands', () => {
  assert.equal(checkDemand('100', 100, 1000).ok, true);
  assert.equal(checkDemand('1000', 100, 1000).ok, true);
});
test('a comma decimal separator is accepted', () => {
  assert.deepEqual(checkDemand('12,5', 0, 100), { ok: true, value: 12.5 });
});
test('an empty demand is required', () => {
  assert.equal((checkDemand('  ', 0, 10) as { reason: string }).reason, 'required');
});
for (const text of ['abc', 'NaN', 'Infinity', '-Infinity', '1e999', '0x10', '1.2.3']) {
  test(`"${text}" is not a finite number`, () => {
    assert.equal((checkDemand(text, 0, 1e6) as { reason: string }).reason, 'notANumber');
  });
}
test('a demand above K is refused with the bound', () => {
  assert.deepEqual(checkDemand('1000.01', 0, 1000), { ok: false, reason: 'abovePool', min: 0, max: 1000 });
});
test('a demand below the disagreement point is refused', () => {
  assert.equal((checkDemand('99.9', 100, 1000) as { reason: string }).reason, 'belowDisagreement');
});
test('Saaty judgements parse as numbers and fractions; zero and junk do not', () => {
  assert.equal(parseJudgement('3'), 3);
  assert.equal(parseJudgement('1/4'), 0.25);
  assert.equal(parseJudgement('0.5'), 0.5);
  assert.equal(parseJudgement('0'), null);
  assert.equal(parseJudgement('1/0'), null);
  assert.equal(parseJudgement('-2'), null);
});
test('number lists accept commas, spaces and full-width commas', () => {
  assert.deepEqual(parseNumberList('1, 2 3，4'), [1, 2, 3, 4]);
  assert.equal(parseNumberList('1, x'), null);
});
