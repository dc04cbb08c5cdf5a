import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingTranslations, normalizeLanguage, translate } from '../../src/i18n';

test('a key is looked up in the chosen language', () => {
  assert.equal(translate('en', 'login.title'), 'Sign in');
  assert.equal(translate('zh-CN', 'login.title'), '登录');
});
test('placeholders are filled', () => {
  assert.equal(translate('en', 'demand.abovePool', { max: 1000 }), 'The demand must not exceed the pool K = 1000.');
  assert.equal(translate('zh-CN', 'room.submitted', { round: 3 }), '第 3 轮出价已接受。');
});
test('an unknown key falls back to the key itself', () => {
  assert.equal(translate('zh-CN', 'no.such.key'), 'no.such.key');
});
test('every English string has a Chinese translation', () => {
  assert.deepEqual(missingTranslations(), []);
});
test('browser and stored preferences normalize to a shipped language', () => {
  assert.equal(normalizeLanguage('zh-TW'), 'zh-CN');
  assert.equal(normalizeLanguage('zh-CN'), 'zh-CN');
  assert.equal(normalizeLanguage('fr-FR'), 'en');
  assert.equal(normalizeLanguage(null), 'en');
});
