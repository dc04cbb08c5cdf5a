import { api, clearErrors, showErrors } from '../api';
import { app, t } from '../app';
import { clear, field, fmt, h } from '../dom';
import { hubErrorText, SessionLink } from '../hub';
import type { Page, SessionDetail, SessionSnapshot, SessionSummary } from '../wire';
import { ahpEditor } from './ahp';
import { timeLeft } from './room';
import { invitePanel } from './invitations';
import { partiesEditor } from './parties';

const templateFactors = ['Innovation capability 创新能力', 'Market size 市场规模', 'Value of resources invested 投入资源价值',
  'Dependence on the alliance 对联盟的依赖程度', 'Cooperation position 合作地位'];
const templateParties = ['Government 政府', 'Enterprise 企业', 'University / Research institute 高校/科研院所', 'Innovator 创新者'];

/** The coordinator console: sessions, set-up from the 3+1 template, members, and live round control. */
export function renderConsole(main: HTMLElement, sessionId?: string): () => void {
  const list = h('ul', { class: 'sessions', id: 'console-sessions' }, h('li', {}, t('common.loading')));
  const left = h('div', { class: 'stack' }, h('section', { class: 'card' }, h('h1', {}, t('console.title')), h('h2', {}, t('common.sessions')), list));
  const right = h('div', { class: 'stack' });
  main.append(h('div', { class: 'grid wide-right' }, left, right));
  api<Page<SessionSummary>>('GET', '/api/sessions?pageSize=100').then((page) => clear(list, page.items.map((s) =>
    h('li', {}, h('a', { href: `#/console/${s.id}`, 'data-session': s.id, 'aria-current': s.id === sessionId ? 'page' : null }, s.name), ' ',
      h('span', { class: `badge ${s.state}` }, t(`state.${s.state}`))))), (e: unknown) => clear(list, h('li', { class: 'form-error' }, String(e))));

  // The set-up form is wide (a matrix and a parties table): it takes the wide column until a session is picked.
  if (!sessionId) {
    right.append(createForm());
    return () => {};
  }
  left.append(createForm());
  const stop = sessionPanel(right, sessionId);
  return stop;
}

function createForm(): HTMLElement {
  const name = h('input', { name: 'name', value: '3+1 alliance' });
  const pool = h('input', { name: 'pool', inputmode: 'decimal', value: '1000' });
  const tangible = h('input', { name: 'tangiblePool', inputmode: 'decimal', value: '100' });
  const bidMode = h('select', { name: 'bidMode' }, h('option', { value: 'sealed' }, t('console.bidMode.sealed')), h('option', { value: 'open' }, t('console.bidMode.open')));
  const deadline = h('input', { name: 'roundDeadlineSeconds', inputmode: 'numeric', value: '120' });
  const ahp = ahpEditor(templateFactors, 'factorMatrix');
  const parties = partiesEditor(templateParties, templateFactors.length);
  const status = h('p', { role: 'status' });
  const form = h('form', { class: 'card', id: 'create-form', novalidate: true }, h('h2', {}, t('console.create')),
    field(t('console.name'), name, 'name'), field(t('console.pool'), pool, 'pool'), field(t('console.tangiblePool'), tangible, 'tangiblePool'),
    field(t('console.bidMode'), bidMode, 'bidMode'), field(t('console.deadline'), deadline, 'roundDeadlineSeconds'), ahp.element, parties.element,
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit', class: 'primary' }, t('console.createSubmit')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    // Numbers are sent as typed (NaN → null) so the server's validation names the field.
    const num = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? s : Number(s));
    try {
      const created = await api<SessionDetail>('POST', '/api/sessions', {
        name: name.value, template: '3+1', pool: num(pool.value), tangiblePool: num(tangible.value), bidMode: bidMode.value,
        roundDeadlineSeconds: num(deadline.value), factorMatrix: ahp.matrix() ?? undefined,
        parties: parties.parties(), strengths: parties.strengths(),
      });
      status.textContent = t('console.created');
      location.hash = `#/console/${created.id}`;
    } catch (error) {
      showErrors(form, error);
    }
  });
  return form;
}

function sessionPanel(right: HTMLElement, sessionId: string): () => void {
  const info = h('section', { class: 'card', id: 'session-info' }, t('common.loading'));
  const live = h('section', { class: 'card', id: 'live' }, h('h2', {}, t('console.live')));
  right.append(info, live);
  let detail: SessionDetail | null = null;
  let snap: SessionSnapshot | null = null;

  let invites: HTMLElement | null = null;
  async function loadDetail(): Promise<void> {
    detail = await api<SessionDetail>('GET', `/api/sessions/${sessionId}`);
    renderInfo();
    // Made once, not with every refresh of the session: the links it shows are not shown again.
    if (!invites) {
      invites = invitePanel(sessionId, detail.parties);
      right.append(invites);
    }
  }

  function renderInfo(): void {
    if (!detail) return;
    const d = detail;
    const userName = h('input', { name: 'userName' });
    const roleName = (r: string) => t(`role.${r.charAt(0).toUpperCase()}${r.slice(1)}`);
    const role = h('select', { name: 'role' }, ...['member', 'coordinator', 'auditor'].map((r) => h('option', { value: r }, roleName(r))));
    const party = h('select', { name: 'partyIndex' }, ...d.parties.map((p) => h('option', { value: p.index }, p.name)));
    const memberForm = h('form', { id: 'member-form', class: 'inline', novalidate: true }, h('h3', {}, t('console.addMember')),
      field(t('console.userName'), userName, 'userName'), field(t('console.role'), role, 'role'), field(t('console.partyIndex'), party, 'partyIndex'),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('console.addMember')));
    memberForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(memberForm);
      try {
        await api('POST', `/api/sessions/${sessionId}/members`, { userName: userName.value, role: role.value, partyIndex: role.value === 'member' ? Number(party.value) : undefined });
        await loadDetail();
      } catch (error) {
        showErrors(memberForm, error);
      }
    });
    const openError = h('div', { class: 'form-error', role: 'alert' });
    const openButton = d.state === 'draft' ? h('button', { type: 'button', class: 'primary', id: 'open-session', onclick: async () => {
      try {
        await api('POST', `/api/sessions/${sessionId}/open`);
        // Everything that shows the state follows at once, without a reload (issue 17, point 1):
        // the session list's badge, the details and the live board with its Open round button.
        app.rerender();
      } catch (error) {
        openError.textContent = error instanceof Error ? error.message : String(error);
      }
    } }, t('console.openSession')) : null;
    clear(info, h('h2', {}, d.name), h('p', {}, h('span', { class: `badge ${d.state}` }, t(`state.${d.state}`)), ` · K = ${fmt(d.pool)} · N = ${fmt(d.tangiblePool)} · ${t(`console.bidMode.${d.bidMode}`)}`),
      h('table', { class: 'data' }, h('thead', {}, h('tr', {}, h('th', {}, t('common.party')), h('th', {}, t('common.power')), h('th', {}, t('common.target')), h('th', {}, 'd'))),
        h('tbody', {}, ...d.parties.map((p, i) => h('tr', {}, h('td', {}, p.name), h('td', {}, fmt(d.powers[i], 4)), h('td', {}, fmt(d.targetAllocation[i])), h('td', {}, fmt(p.disagreement)))))),
      h('h3', {}, t('console.members')),
      h('ul', { id: 'members' }, ...d.members.map((m) => h('li', {}, `${m.userName} — ${roleName(m.role)}${m.partyIndex !== null && m.partyIndex !== undefined ? ` (${d.parties[m.partyIndex]?.name})` : ''}`))),
      memberForm, openButton, openError);
  }

  const seconds = h('input', { name: 'deadlineSeconds', inputmode: 'numeric', value: '120' });
  const controlError = h('div', { class: 'form-error', role: 'alert', id: 'round-error' });
  const openRound = h('button', { type: 'button', class: 'primary', id: 'open-round' }, t('console.openRound'));
  const closeRound = h('button', { type: 'button', id: 'close-round' }, t('console.closeRound'));
  const board = h('div', { id: 'board' });
  live.append(h('div', { class: 'inline' }, field(t('console.roundSeconds'), seconds, 'deadlineSeconds'), openRound, closeRound), controlError, board);

  let skewMs = 0;
  const timer = h('span', { id: 'console-timer', class: 'timer' }, '—');
  const tickTimer = window.setInterval(() => tick(), 500);
  function tick(): void {
    const round = snap?.currentRound;
    timer.textContent = round && round.state === 'open' && snap?.state === 'open' ? timeLeft(round.deadlineUtc, skewMs) : '—';
  }

  function renderBoard(): void {
    if (!snap) return;
    const s = snap;
    const round = s.currentRound;
    const last = s.rounds[s.rounds.length - 1];
    const isOpen = round?.state === 'open';
    board.dataset.round = String(round?.round ?? 0);
    board.dataset.state = s.state;
    openRound.disabled = s.state !== 'open' || isOpen;
    closeRound.disabled = !isOpen;
    clear(board,
      h('p', {}, `${t('console.timeLeft')}: `, timer),
      h('p', { id: 'board-status' }, h('span', { class: `badge ${s.state}` }, t(`state.${s.state}`)), ' · ',
        s.agreement ? t('room.agreedStatus', { round: s.agreement.round })
          : round ? `${t('common.round')} ${round.round}: ${isOpen ? t('state.open') : t('room.roundClosed')}` : t('room.noRound')),
      h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, h('th', {}, t('common.party')), h('th', {}, t('common.power')), h('th', {}, t('console.bid')), h('th', {}, t('common.demand')), h('th', {}, t('common.target')), h('th', {}, 'q/h'))),
        h('tbody', {}, ...s.parties.map((p) => {
          const bid = round?.bids.find((b) => b.partyIndex === p.index);
          const analysed = last?.parties.find((x) => x.partyIndex === p.index);
          return h('tr', { 'data-party': p.index, 'data-bid': bid ? 'yes' : 'no' }, h('td', {}, p.name), h('td', {}, fmt(p.power, 4)),
            h('td', {}, bid ? `✓ ${t('console.hasBid')}` : t('console.waiting')), h('td', {}, fmt(bid?.demand ?? analysed?.demand)),
            // Before any round closed, the target is the period's NBS (it was "—" during round 1).
            h('td', {}, fmt(analysed?.target ?? detail?.targetAllocation[p.index])), h('td', {}, fmt(analysed?.ratio, 4)));
        }))),
      last ? h('p', {}, `${t('room.gap')} ${fmt(last.gap)} · ${t('room.efficiency')} ${fmt(last.nashEfficiency, 4)} · ${t('room.mustConcede')}: ${last.mustConcede.map((i) => s.parties[i]?.name).join(', ') || t('common.none')}`) : null,
      s.agreement ? h('p', { class: 'ok', id: 'console-agreement' }, t('room.agreement', { round: s.agreement.round }), ' ',
        s.agreement.allocation.map((k, i) => `${s.parties[i]?.name}: ${fmt(k)}`).join(' · ')) : null,
      h('p', { class: 'muted' }, `${t('common.online')}: ${s.online.map((o) => o.userName).join(', ')}`));
  }

  const link = new SessionLink(sessionId, {
    snapshot: (s) => { snap = s; skewMs = Date.parse(s.serverTimeUtc) - Date.now(); renderBoard(); tick(); },
    roundOpened: () => void link.resync(),
    bidAccepted: (m) => {
      const round = snap?.currentRound;
      if (round && round.round === m.round) round.bids = [...round.bids.filter((b) => b.partyIndex !== m.partyIndex), { partyIndex: m.partyIndex, demand: m.demand }];
      renderBoard();
    },
    roundClosed: () => void link.resync().then(() => void loadDetail()),
    agreementReached: () => void link.resync(),
    contractRevised: () => void link.resync(),
    presence: (m) => { if (snap) { snap.online = m.online; renderBoard(); } },
  });
  openRound.addEventListener('click', async () => {
    controlError.textContent = '';
    seconds.removeAttribute('aria-invalid');
    try {
      await link.invoke('OpenRound', sessionId, Number(seconds.value));
    } catch (error) {
      const text = hubErrorText(error);
      controlError.textContent = text;
      // The hub names the field its error is about: mark that input (issue 17, point 6).
      if (/\bdeadlineSeconds\b/.test(text)) seconds.setAttribute('aria-invalid', 'true');
    }
  });
  closeRound.addEventListener('click', async () => {
    controlError.textContent = '';
    try {
      await link.invoke('CloseRound', sessionId);
    } catch (error) {
      controlError.textContent = hubErrorText(error);
    }
  });
  void link.start();
  loadDetail().catch((e: unknown) => clear(info, h('p', { class: 'form-error' }, e instanceof Error ? e.message : String(e))));
  return () => {
    window.clearInterval(tickTimer);
    void link.stop();
  };
}
