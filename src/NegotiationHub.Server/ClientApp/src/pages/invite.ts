import { ApiError, api, showErrors } from '../api';
import { app, t } from '../app';
import { clear, field, h } from '../dom';
import type { UserView } from '../wire';

interface Preview { kind: string; userName: string; displayName: string; role: string; sessionName: string | null; partyName: string | null; expiresUtc: string }

/** #/invite/{token}: the holder of a link chooses their password and is signed in. */
export function renderInvite(main: HTMLElement, token: string, signedIn: (user: UserView, sessionId: string | null) => void): void {
  const card = h('section', { class: 'card narrow', id: 'invite-accept', 'aria-labelledby': 'invite-accept-title' }, h('p', {}, t('common.loading')));
  main.append(card);
  api<Preview>('GET', `/api/invitations/token/${encodeURIComponent(token)}`).then((p) => {
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true });
    const confirm = h('input', { name: 'confirm', type: 'password', autocomplete: 'new-password', required: true });
    const form = h('form', { novalidate: true },
      h('p', {}, t('invite.policy')),
      field(t('invite.password'), password, 'password'), field(t('invite.confirm'), confirm, 'confirm'),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit', class: 'primary' }, t(p.kind === 'reset' ? 'invite.setPassword' : 'invite.accept')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (password.value !== confirm.value) {
        showErrors(form, new ApiError(400, { errors: { confirm: [t('invite.mismatch')] } }));
        return;
      }
      try {
        const accepted = await api<{ user: UserView; sessionId: string | null }>('POST', '/api/invitations/accept', { token, password: password.value });
        signedIn(accepted.user, accepted.sessionId);
      } catch (error) {
        showErrors(form, error);
      }
    });
    clear(card,
      h('h1', { id: 'invite-accept-title' }, t(p.kind === 'reset' ? 'invite.resetTitle' : 'invite.welcome', { name: p.displayName })),
      h('dl', { class: 'facts' },
        h('dt', {}, t('console.userName')), h('dd', { id: 'invite-user' }, p.userName),
        p.kind === 'reset' ? null : [h('dt', {}, t('console.role')), h('dd', {}, p.role)],
        p.sessionName ? [h('dt', {}, t('invite.session')), h('dd', {}, p.sessionName, p.partyName ? ` — ${p.partyName}` : '')] : null,
        h('dt', {}, t('invite.expires')), h('dd', {}, new Date(p.expiresUtc).toLocaleString(app.language, { timeZoneName: 'short' }))),
      form);
    password.focus();
  }, (error: unknown) => {
    const code = error instanceof ApiError ? error.problem.code : undefined;
    clear(card, h('h1', { id: 'invite-accept-title' }, t('invite.unusable')),
      h('p', { class: 'form-error', role: 'alert', id: 'invite-refused', 'data-code': code ?? '' },
        code ? t(`invite.refused.${code}`) : error instanceof Error ? error.message : String(error)),
      h('p', {}, h('a', { href: '#/login' }, t('nav.signIn'))));
  });
}
