import { api, clearErrors, showErrors } from '../api';
import { t } from '../app';
import { clear, field, h } from '../dom';
import type { Page, SessionSummary } from '../wire';

/** #/account: my sessions, my password, signing out my other devices, and two-factor sign-in. */
export function renderAccount(main: HTMLElement): void {
  const sessions = h('ul', { class: 'sessions', id: 'my-sessions' }, h('li', {}, t('common.loading')));
  api<Page<SessionSummary>>('GET', '/api/sessions?pageSize=100').then((page) => clear(sessions, page.items.length === 0 ? h('li', { class: 'muted' }, t('account.noSessions')) : page.items.map((s) =>
    h('li', {}, h('a', { href: s.myRole === 'member' ? `#/room/${s.id}` : `#/console/${s.id}` }, s.name), ' ', h('span', { class: `badge ${s.state}` }, t(`state.${s.state}`))))),
  (e: unknown) => clear(sessions, h('li', { class: 'form-error' }, String(e))));

  const current = h('input', { name: 'currentPassword', type: 'password', autocomplete: 'current-password' });
  const next = h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password' });
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'password-form', novalidate: true },
    h('p', { class: 'muted' }, t('invite.policy')),
    field(t('account.current'), current, 'currentPassword'), field(t('account.new'), next, 'newPassword'),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit', class: 'primary' }, t('account.change')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.textContent = '';
    try {
      await api('POST', '/api/account/password', { currentPassword: current.value, newPassword: next.value });
      current.value = '';
      next.value = '';
      status.textContent = t('account.changed');
    } catch (error) {
      showErrors(form, error);
    }
  });
  const elsewhereStatus = h('p', { role: 'status', 'aria-live': 'polite' });
  const elsewhere = h('button', { type: 'button', id: 'sign-out-elsewhere' }, t('account.elsewhere'));
  elsewhere.addEventListener('click', () => void api('POST', '/api/account/sign-out-elsewhere').then(() => (elsewhereStatus.textContent = t('account.elsewhereDone')), (e: unknown) => (elsewhereStatus.textContent = String(e))));

  main.append(h('div', { class: 'stack narrow-stack' },
    h('section', { class: 'card', 'aria-labelledby': 'account-title' }, h('h1', { id: 'account-title' }, t('account.title')), h('h2', {}, t('account.sessions')), sessions),
    h('section', { class: 'card' }, h('h2', {}, t('account.password')), form),
    h('section', { class: 'card' }, h('h2', {}, t('account.devices')), h('p', { class: 'muted' }, t('account.elsewhereHelp')), elsewhere, elsewhereStatus,
      h('p', {}, h('a', { href: '#/security' }, t('security.title'))))));
}
