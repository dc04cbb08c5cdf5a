import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldFor, mapProblem } from '../../src/problems';

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
