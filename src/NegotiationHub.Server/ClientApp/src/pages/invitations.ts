import { api, clearErrors, showErrors } from '../api';
import { app, t } from '../app';
import { clear, field, h } from '../dom';
import type { InvitationView, Page } from '../wire';

/** A list of fresh links to hand over, each with a copy button (there is no mail server: the inviter passes them on). */
export function linkList(links: InvitationView[]): HTMLElement {
  return h('ul', { class: 'links', id: 'invite-links' }, ...links.map((l) => {
    const copy = h('button', { type: 'button', class: 'small' }, t('invite.copy'));
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(l.link ?? '').then(() => (copy.textContent = t('invite.copied')), () => undefined);
    });
    return h('li', { 'data-user': l.userName }, h('strong', {}, l.userName), ' ', h('code', { class: 'wrap invite-link' }, l.link ?? ''), ' ', copy);
  }));
}

/** The console's "Invite members" card: one member at a time, or a CSV of many; then the links and every invitation's status. */
export function invitePanel(sessionId: string, parties: { index: number; name: string }[]): HTMLElement {
  const card = h('section', { class: 'card', id: 'invite-card', 'aria-labelledby': 'invite-title' });
  const results = h('div', { 'aria-live': 'polite' });
  const table = h('div', {});

  const userName = h('input', { name: 'userName', autocomplete: 'off' });
  const displayName = h('input', { name: 'displayName', autocomplete: 'off' });
  const party = h('select', { name: 'partyIndex' }, ...parties.map((p) => h('option', { value: p.index }, p.name)));
  const single = h('form', { id: 'invite-form', class: 'inline', novalidate: true },
    field(t('console.userName'), userName, 'userName'), field(t('invite.displayName'), displayName, 'displayName'), field(t('common.party'), party, 'partyIndex'),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('invite.create')));
  single.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(single);
    try {
      const made = await api<InvitationView>('POST', '/api/invitations', { userName: userName.value, displayName: displayName.value || undefined, sessionId, partyIndex: Number(party.value) });
      clear(results, h('p', { role: 'status' }, t('invite.made', { count: 1 })), linkList([made]));
      userName.value = '';
      displayName.value = '';
      await list();
    } catch (error) {
      showErrors(single, error);
    }
  });

  const csv = h('textarea', { name: 'csv', rows: 5, placeholder: 'userName,displayName,party\nzhang.wei,张伟,Government', spellcheck: false });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', name: 'csvFile' });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) csv.value = await chosen.text();
  });
  const bulk = h('form', { id: 'import-form', novalidate: true },
    h('p', { class: 'muted' }, t('invite.csvHelp')),
    field(t('invite.csvFile'), file), field(t('invite.csv'), csv, 'csv'),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('invite.import')));
  bulk.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(bulk);
    try {
      const made = await api<InvitationView[]>('POST', `/api/sessions/${sessionId}/invitations/import`, { csv: csv.value });
      clear(results, h('p', { role: 'status' }, t('invite.made', { count: made.length })), linkList(made));
      csv.value = '';
      await list();
    } catch (error) {
      showErrors(bulk, error);
    }
  });

  async function list(): Promise<void> {
    const page = await api<Page<InvitationView>>('GET', `/api/invitations?sessionId=${sessionId}&pageSize=200`);
    clear(table, page.items.length === 0 ? null : invitationTable(page.items, list));
  }

  card.append(h('h3', { id: 'invite-title' }, t('invite.title')), single, h('h4', {}, t('invite.bulk')), bulk, results, table);
  void list().catch(() => undefined);
  return card;
}

/** Every invitation with its status; pending ones can be revoked. */
export function invitationTable(items: InvitationView[], changed: () => Promise<void>): HTMLElement {
  return h('table', { class: 'data', id: 'invitations' },
    h('thead', {}, h('tr', {}, h('th', {}, t('console.userName')), h('th', {}, t('console.role')), h('th', {}, t('invite.expires')), h('th', {}, t('common.state')), h('th', {}, ''))),
    h('tbody', {}, ...items.map((i) => {
      const revoke = i.status === 'pending' ? h('button', { type: 'button', class: 'small' }, t('invite.revoke')) : null;
      revoke?.addEventListener('click', async () => {
        await api('POST', `/api/invitations/${i.id}/revoke`).catch(() => undefined);
        await changed();
      });
      return h('tr', { 'data-status': i.status }, h('td', {}, i.userName), h('td', {}, i.kind === 'reset' ? t('invite.kind.reset') : t(`role.${i.role}`)),
        h('td', {}, new Date(i.expiresUtc).toLocaleString(app.language, { timeZoneName: 'short' })), h('td', {}, t(`invite.status.${i.status}`)), h('td', {}, revoke));
    })));
}
