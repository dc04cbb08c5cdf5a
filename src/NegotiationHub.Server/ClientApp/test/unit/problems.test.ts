import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldFor, mapProblem, type ProblemDetails } from '../../src/problems';
import { ruleText } from '../../src/i18n';

const fields = ['name', 'pool', 'factorMatrix', 'utilities'];

test('an error key naming a field maps to it', () => {
  assert.equal(fieldFor('pool', fields), 'pool');
});
test('an indexed key maps to its enclosing field', () => {
  assert.equal(fieldFor('factorMatrix[0][1]', fields), 'factorMatrix');
  assert.equal(fieldFor('utilities[2].kind', fields), 'utilities');
});
test('the most specific field wins when both exist', () => {
  assert.equal(fieldFor('matrix[0][1]', ['matrix', 'matrix[0][1]']), 'matrix[0][1]');
});
test('PascalCase and $. prefixed keys map too', () => {
  assert.equal(fieldFor('Pool', fields), 'pool');
  assert.equal(fieldFor('$.pool', fields), 'pool');
});
test('a key for no field of the form is general', () => {
  assert.equal(fieldFor('strengths[0][1]', fields), null);
});
test('a problem splits into field messages and general messages', () => {
  const mapped = mapProblem({ title: 'One or more validation errors occurred.', errors: { pool: ['must be > 0'], 'factorMatrix[1][0]': ['must be 1/a'], other: ['x'] } }, fields);
  assert.deepEqual(mapped.fields.get('pool'), ['must be > 0']);
  assert.deepEqual(mapped.fields.get('factorMatrix'), ['factorMatrix[1][0]: must be 1/a']);
  assert.deepEqual(mapped.general, ['other: x']);
});
test('a problem without errors shows its title and detail', () => {
  assert.deepEqual(mapProblem({ title: 'Sign-in failed.', detail: 'The user name or password is wrong.' }, fields).general,
    ['Sign-in failed. The user name or password is wrong.']);
});

test('a message that names its own line (a CSV row) is shown without its JSON key', () => {
  const mapped = mapProblem({ errors: { 'csv[3].party': ["line 3: no party 'X'"], 'csv[4]': ['has 2 columns'] } }, ['csv']);
  assert.deepEqual(mapped.fields.get('csv'), ["line 3: no party 'X'", 'csv[4]: has 2 columns']);
});

test('coded rules are shown in the translator\'s language, the English message where it has none', () => {
  const problem: ProblemDetails = {
    errors: { pool: ['must be greater than 0'], 'factorMatrix[1][0]': ['must lie in [0.111, 9]'], name: ['is taken by a rule without a code'] },
    fieldErrors: [
      { field: 'pool', code: 'positive', args: {}, message: 'must be greater than 0' },
      { field: 'factorMatrix[1][0]', code: 'range', args: { min: '0.111', max: '9', lo: '[', hi: ']' }, message: 'must lie in [0.111, 9]' },
      { field: 'name', code: 'invalid', args: {}, message: 'is taken by a rule without a code' },
    ],
  };
  const zh = mapProblem(problem, fields, (e) => ruleText('zh-CN', e));
  assert.deepEqual(zh.fields.get('pool'), ['必须大于 0']);
  assert.deepEqual(zh.fields.get('factorMatrix'), ['factorMatrix[1][0]: 必须在 [0.111, 9] 范围内']);
  assert.deepEqual(zh.fields.get('name'), ['is taken by a rule without a code']);
  const en = mapProblem(problem, fields, (e) => ruleText('en', e));
  assert.deepEqual(en.fields.get('pool'), ['must be greater than 0']);
});

test('rule texts fill their figures and translate what a list needs one entry per', () => {
  assert.equal(ruleText('zh-CN', { code: 'length', args: { expected: '4', what: 'party', count: '3' } }), '须每个参与方一项（共 4 项），现有 3 项');
  assert.equal(ruleText('en', { code: 'count', args: { min: '2', max: '2', count: '3' } }), 'must have exactly 2 entries (has 3)');
  assert.equal(ruleText('zh-CN', { code: 'type', args: { expected: 'number' } }), '必须是数字');
  assert.equal(ruleText('zh-CN', { code: 'identity.PasswordTooShort' }), '至少需要 12 个字符');
  assert.equal(ruleText('en', { code: 'invalid' }), null);
  assert.equal(ruleText('en', { code: 'type', args: { expected: 'other' } }), null);
});
