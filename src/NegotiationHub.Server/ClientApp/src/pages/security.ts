import { api, showErrors } from '../api';
import { t } from '../app';
import { clear, field, h } from '../dom';
import type { TwoFactorView } from '../wire';

/** #/security: turn two-factor sign-in (an authenticator app's TOTP codes) on or off. */
export function renderSecurity(main: HTMLElement, done: () => void): void {
  const card = h('section', { class: 'card narrow', 'aria-labelledby': 'security-title' });
  main.append(card);
  const status = h('p', { role: 'status', 'aria-live': 'polite' });

  const show = (view: TwoFactorView, message?: string) => {
    const code = h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9 ]*', maxlength: 8, required: true });
    const form = h('form', { novalidate: true },
      field(t('login.code'), code, 'code'),
      h('div', { class: 'form-error', role: 'alert' }),
      h('button', { type: 'submit', class: 'primary' }, view.enabled ? t('security.disable') : t('security.enable')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        if (view.enabled) {
          show(await api<TwoFactorView>('POST', '/api/account/2fa/disable', { code: code.value }), t('security.disabled'));
        } else {
          await api<TwoFactorView>('POST', '/api/account/2fa', { code: code.value });
          done();
        }
      } catch (error) {
        showErrors(form, error);
      }
    });
    status.textContent = message ?? '';
    clear(card,
      h('h1', { id: 'security-title' }, t('security.title')),
      status,
      view.required && !view.enabled ? h('p', { class: 'notice', role: 'alert' }, t('security.required')) : null,
      h('p', {}, view.enabled ? t('security.on') : t('security.off')),
      view.enabled
        ? (view.required ? h('p', {}, t('security.mandatory')) : form)
        : [
          h('p', {}, t('security.steps')),
          h('dl', { class: 'two-factor-key' },
            h('dt', {}, t('security.key')), h('dd', {}, h('code', { id: 'two-factor-key' }, (view.sharedKey ?? '').replace(/(.{4})/g, '$1 ').trim())),
            h('dt', {}, t('security.uri')), h('dd', {}, h('code', { id: 'two-factor-uri', class: 'wrap' }, view.authenticatorUri ?? ''))),
          form,
        ]);
    if (!view.enabled || !view.required) code.focus();
  };

  card.append(h('p', {}, t('common.loading')));
  api<TwoFactorView>('GET', '/api/account/2fa').then((view) => show(view), (error) => showErrors(card, error));
}
