import { ApiError, api, clearErrors, showErrors } from '../api';
import { mapProblem } from '../problems';
import { t } from '../app';
import { clear, field, h } from '../dom';
import type { InvitationView, Page, UserView } from '../wire';
import { invitationTable, linkList } from './invitations';

const roles = ['Admin', 'Coordinator', 'Member', 'Auditor'];
const pageSize = 20;

/** #/admin (admins): users with search and paging, invitations, disable/enable, roles, reset links. */
export function renderAdmin(main: HTMLElement): void {
  const search = h('input', { name: 'q', type: 'search', 'aria-label': t('admin.search'), placeholder: t('admin.search') });
  const usersBox = h('div', { id: 'admin-users' }, t('common.loading'));
  const pager = h('div', { class: 'inline' });
  const results = h('div', { 'aria-live': 'polite', id: 'admin-results' });
  const invitations = h('div', {});
  let page = 1;

  const userName = h('input', { name: 'userName', autocomplete: 'off' });
  const displayName = h('input', { name: 'displayName', autocomplete: 'off' });
  const role = h('select', { name: 'role' }, ...roles.map((r) => h('option', { value: r, selected: r === 'Member' }, t(`role.${r}`))));
  const invite = h('form', { id: 'admin-invite', class: 'inline', novalidate: true },
    field(t('console.userName'), userName, 'userName'), field(t('invite.displayName'), displayName, 'displayName'), field(t('console.role'), role, 'role'),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit', class: 'primary' }, t('invite.create')));
  invite.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(invite);
    try {
      const made = await api<InvitationView>('POST', '/api/invitations', { userName: userName.value, displayName: displayName.value || undefined, role: role.value });
      clear(results, h('p', { role: 'status' }, t('invite.made', { count: 1 })), linkList([made]));
      userName.value = '';
      displayName.value = '';
      await loadInvitations();
    } catch (error) {
      showErrors(invite, error);
    }
  });

  async function loadUsers(): Promise<void> {
    const q = encodeURIComponent(search.value.trim());
    const data = await api<Page<UserView>>('GET', `/api/users?q=${q}&page=${page}&pageSize=${pageSize}`);
    clear(usersBox, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, h('th', {}, t('console.userName')), h('th', {}, t('invite.displayName')), h('th', {}, t('console.role')), h('th', {}, t('common.state')), h('th', {}, ''))),
      h('tbody', {}, ...data.items.map(userRow))));
    const pages = Math.max(1, Math.ceil(data.total / pageSize));
    const prev = h('button', { type: 'button', disabled: page <= 1 }, t('admin.previous'));
    const next = h('button', { type: 'button', disabled: page >= pages }, t('admin.next'));
    prev.addEventListener('click', () => { page--; void loadUsers(); });
    next.addEventListener('click', () => { page++; void loadUsers(); });
    clear(pager, prev, h('span', { role: 'status' }, t('admin.page', { page, pages, total: data.total })), next);
  }

  function userRow(u: UserView): HTMLElement {
    const error = h('span', { class: 'form-error', role: 'alert' });
    // The server names the field (roles) and the rule; show its words, not only the title.
    const fail = (e: unknown) => {
      const mapped = e instanceof ApiError ? mapProblem(e.problem, []) : null;
      error.textContent = mapped ? [...mapped.general].join(' ') : e instanceof Error ? e.message : String(e);
    };
    const primary = h('select', { 'aria-label': t('admin.roleOf', { user: u.userName }), name: 'role' }, ...roles.map((r) => h('option', { value: r, selected: u.roles.includes(r) }, t(`role.${r}`))));
    const held = roles.find((r) => u.roles.includes(r)) ?? '';
    primary.addEventListener('change', () => void api('PUT', `/api/users/${u.id}/roles`, { roles: [primary.value] }).then(loadUsers, (e: unknown) => {
      primary.value = held; // refused: the select shows the role the user still has
      fail(e);
    }));
    const toggle = h('button', { type: 'button', class: 'small', 'data-action': u.disabled ? 'enable' : 'disable' }, u.disabled ? t('admin.enable') : t('admin.disable'));
    toggle.addEventListener('click', () => void api('POST', `/api/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`).then(loadUsers, fail));
    const reset = h('button', { type: 'button', class: 'small', 'data-action': 'reset' }, t('admin.reset'));
    reset.addEventListener('click', () => void api<InvitationView>('POST', `/api/users/${u.id}/password-reset`).then(async (made) => {
      clear(results, h('p', { role: 'status' }, t('admin.resetMade', { user: u.userName })), linkList([made]));
      await loadInvitations();
    }, fail));
    return h('tr', { 'data-user': u.userName, 'data-disabled': u.disabled ? 'yes' : 'no' }, h('td', {}, u.userName), h('td', {}, u.displayName), h('td', {}, primary),
      h('td', {}, u.disabled ? t('admin.disabled') : t('admin.active'), u.twoFactorEnabled ? ' · 2FA' : ''), h('td', { class: 'actions' }, toggle, ' ', reset, ' ', error));
  }

  async function loadInvitations(): Promise<void> {
    const data = await api<Page<InvitationView>>('GET', '/api/invitations?pageSize=50');
    clear(invitations, data.items.length ? invitationTable(data.items, loadInvitations) : h('p', { class: 'muted' }, t('admin.noInvitations')));
  }

  let timer = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => { page = 1; void loadUsers(); }, 250);
  });
  main.append(h('div', { class: 'stack' },
    h('section', { class: 'card', 'aria-labelledby': 'admin-title' }, h('h1', { id: 'admin-title' }, t('admin.title')), h('h2', {}, t('admin.invite')), invite, results),
    h('section', { class: 'card' }, h('h2', {}, t('admin.users')), search, usersBox, pager),
    h('section', { class: 'card' }, h('h2', {}, t('admin.invitations')), invitations)));
  void loadUsers().catch((e: unknown) => clear(usersBox, h('p', { class: 'form-error' }, String(e))));
  void loadInvitations().catch(() => undefined);
}
