import { api } from './api';
import { adoptUser, app, hasRole, setLanguage, t } from './app';
import { clear, h } from './dom';
import { languages, type Language } from './i18n';
import { renderAccount } from './pages/account';
import { renderAdmin } from './pages/admin';
import { renderAudit } from './pages/audit';
import { renderConsole } from './pages/console';
import { renderInvite } from './pages/invite';
import { renderLogin } from './pages/login';
import { renderRoom } from './pages/room';
import { renderSandbox } from './pages/sandbox';
import { renderSecurity } from './pages/security';
import type { TwoFactorView, UserView } from './wire';

const root = document.getElementById('app')!;
let dispose: (() => void) | void;

/** Where a user lands after sign-in: the page for their main role. */
export function home(): string {
  if (hasRole('Coordinator') || hasRole('Admin')) return '#/console';
  if (hasRole('Member')) return '#/room';
  if (hasRole('Auditor')) return '#/audit';
  return '#/sandbox';
}

function header(): HTMLElement {
  const links: [string, string, boolean][] = [
    ['#/console', t('nav.console'), hasRole('Coordinator') || hasRole('Admin')],
    ['#/room', t('nav.room'), hasRole('Member')],
    ['#/audit', t('nav.audit'), hasRole('Auditor') || hasRole('Admin') || hasRole('Coordinator')],
    ['#/sandbox', t('nav.sandbox'), true],
    ['#/admin', t('nav.admin'), hasRole('Admin')],
  ];
  const current = location.hash.split('/').slice(0, 2).join('/');
  const select = h('select', { id: 'language', 'aria-label': t('nav.language') },
    ...languages.map((l) => h('option', { value: l, selected: l === app.language }, l === 'zh-CN' ? '简体中文' : 'English')));
  select.addEventListener('change', () => void setLanguage(select.value as Language));
  const security = app.user ? h('a', { href: '#/account', 'aria-current': current === '#/account' ? 'page' : null }, t('nav.account')) : null;
  const account = app.user
    ? h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, `${t('nav.signOut')} (${app.user.userName})`)
    : h('a', { href: '#/login' }, t('nav.signIn'));
  return h('header', { class: 'top' },
    h('a', { class: 'brand', href: app.user ? home() : '#/login' }, t('app.title')),
    h('nav', { 'aria-label': 'main' }, ...links.filter((l) => l[2]).map(([href, text]) =>
      h('a', { href, 'aria-current': current === href ? 'page' : null }, text))),
    h('div', { class: 'tools' }, select, security, account));
}

/**
 * Where to go after sign-in: the security page when the user's role requires two-factor sign-in and
 * this sign-in had no code (the server refuses everything else until it has one), else home.
 */
async function landing(): Promise<string> {
  const view = await api<TwoFactorView>('GET', '/api/account/2fa').catch(() => null);
  return view && view.required && !view.signedInWithCode ? '#/security' : home();
}

async function signOut(): Promise<void> {
  await api('POST', '/api/account/logout').catch(() => undefined);
  adoptUser(null);
  location.hash = '#/login';
}

function route(): void {
  if (typeof dispose === 'function') dispose();
  dispose = undefined;
  const [, page = '', id] = location.hash.split('/');
  const main = h('main', { id: 'main' });
  clear(root, header(), main);
  document.title = t('app.title');
  const skip = document.querySelector('a.skip');
  if (skip) skip.textContent = t('nav.skip');
  if (page === 'sandbox') {
    dispose = renderSandbox(main);
    return;
  }
  if (page === 'invite' && id) {
    renderInvite(main, id, (user, sessionId) => {
      adoptUser(user);
      void landing().then((hash) => (location.hash = sessionId && hash !== '#/security' ? `#/room/${sessionId}` : hash));
    });
    return;
  }
  if (!app.user || page === 'login' || page === '') {
    if (app.user && page !== 'login') {
      location.replace(home());
      return;
    }
    renderLogin(main, (user) => {
      adoptUser(user);
      void landing().then((hash) => (location.hash = hash));
    });
    return;
  }
  switch (page) {
    case 'console': dispose = renderConsole(main, id); break;
    case 'room': dispose = renderRoom(main, id); break;
    case 'audit': dispose = renderAudit(main, id); break;
    case 'security': renderSecurity(main, () => (location.hash = home())); break;
    case 'account': renderAccount(main); break;
    case 'admin': if (hasRole('Admin')) renderAdmin(main); else location.replace(home()); break;
    default: location.replace(home());
  }
}

app.rerender = route;
window.addEventListener('hashchange', route);

// "Skip to content" moves focus to the page's main region. As a plain link to #main it changed the
// hash, which is the router's, and landed on the session list (issue 17).
document.addEventListener('click', (e) => {
  const skip = (e.target as Element | null)?.closest?.('a.skip');
  if (!skip) return;
  e.preventDefault();
  const main = document.getElementById('main');
  if (main) {
    main.tabIndex = -1;
    main.focus();
  }
});

(async () => {
  try {
    adoptUser(await api<UserView>('GET', '/api/account/me'));
  } catch {
    adoptUser(null);
  }
  if (app.user && location.hash !== '#/security' && (await landing()) === '#/security') {
    location.hash = '#/security'; // hashchange routes
    return;
  }
  route();
})();
