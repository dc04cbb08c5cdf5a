import { api, clearErrors } from '../api';
import { t } from '../app';
import { chartBox, draw, palette } from '../charts';
import { clear, field, fmt, h } from '../dom';
import { hubErrorText, SessionLink, type LinkState } from '../hub';
import { checkDemand } from '../validation';
import type { Page, SessionDetail, SessionSnapshot, SessionSummary } from '../wire';

/** A list of the caller's sessions, linking to `base/<id>`. */
export function sessionPicker(main: HTMLElement, base: string, title: string, filter: (s: SessionSummary) => boolean = () => true): void {
  const list = h('ul', { class: 'sessions' }, h('li', {}, t('common.loading')));
  main.append(h('section', { class: 'card' }, h('h1', {}, title), h('h2', {}, t('room.pickSession')), list));
  api<Page<SessionSummary>>('GET', '/api/sessions?pageSize=100').then((page) => {
    const items = page.items.filter(filter);
    clear(list, items.length === 0 ? h('li', {}, t('common.none')) : items.map((s) =>
      h('li', {}, h('a', { href: `${base}/${s.id}`, 'data-session': s.id }, s.name), ' ', h('span', { class: `badge ${s.state}` }, t(`state.${s.state}`)))));
  }, (e: unknown) => clear(list, h('li', { class: 'form-error' }, String(e))));
}

/** Time left until a deadline, as m:ss (never negative). */
export function timeLeft(deadlineUtc: string, skewMs: number, now = Date.now()): string {
  const ms = Math.max(0, Date.parse(deadlineUtc) - (now + skewMs));
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The member bidding room: live state of the caller's session, the bid form and the convergence charts. */
export function renderRoom(main: HTMLElement, sessionId?: string): () => void {
  if (!sessionId) {
    sessionPicker(main, '#/room', t('room.title'), (s) => s.myParty !== null && s.myParty !== undefined);
    return () => {};
  }
  let snap: SessionSnapshot | null = null;
  let detail: SessionDetail | null = null;
  let skewMs = 0;

  const banner = h('div', { id: 'reconnect-banner', class: 'banner', role: 'status', 'aria-live': 'assertive', hidden: true }, t('room.reconnecting'));
  const title = h('h1', {}, t('room.title'));
  const you = h('p', { id: 'you' });
  const roundInfo = h('div', { id: 'round-info', 'aria-live': 'polite' });
  const timer = h('span', { id: 'timer', class: 'timer' }, '—');
  const bidders = h('ul', { id: 'bidders', class: 'bidders' });
  const demand = h('input', { id: 'demand', name: 'demand', inputmode: 'decimal', autocomplete: 'off' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-bid' }, t('room.submit'));
  const bidResult = h('p', { id: 'bid-result', role: 'status' });
  // The model's next step for this party, D + λ(k* − D) from the last closed round (MODEL §4): offered, never sent by itself.
  const suggestion = h('button', { type: 'button', id: 'suggestion', class: 'suggestion', hidden: true });
  suggestion.addEventListener('click', () => {
    demand.value = suggestion.dataset.fill ?? '';
    demand.focus();
  });
  const form = h('form', { id: 'bid-form', novalidate: true }, field(t('room.demand'), demand, 'demand'), suggestion, h('div', { class: 'form-error', role: 'alert' }), submit, bidResult);
  const analysis = h('dl', { id: 'analysis', class: 'facts' });
  const agreement = h('div', { id: 'agreement', 'aria-live': 'polite' });
  // Warnings stand beside the facts list, not inside it (a <dl> holds only dt/dd).
  const notes = h('div', { id: 'room-notes', 'aria-live': 'polite' });
  const history = h('div', { id: 'round-history', class: 'scroll' });
  const online = h('p', { id: 'online', class: 'muted' });
  const demands = chartBox(t('room.chartDemands'));
  const convergence = chartBox(t('room.chartConvergence'));
  const powers = chartBox(t('room.chartPower'));
  demands.canvas.id = 'chart-demands';
  convergence.canvas.id = 'chart-convergence';
  powers.canvas.id = 'chart-power';

  main.append(banner,
    h('section', { class: 'card' }, title, you, online),
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-labelledby': 'round-h' }, h('h2', { id: 'round-h' }, t('common.round')), roundInfo,
        h('p', {}, t('room.timer'), ': ', timer), bidders, form),
      h('section', { class: 'card' }, h('h2', {}, t('room.analysis')), analysis, notes, agreement)),
    h('section', { class: 'card', 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, t('room.history')), history),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, t('room.chartDemands')), demands.box),
      h('section', { class: 'card' }, h('h2', {}, t('room.chartConvergence')), convergence.box),
      h('section', { class: 'card' }, h('h2', {}, t('room.chartPower')), powers.box)));

  const own = () => (snap?.ownPartyIndex ?? null);
  const partyName = (i: number) => snap?.parties[i]?.name ?? `#${i}`;

  function render(): void {
    if (!snap) return;
    const s = snap;
    const me = own();
    title.textContent = `${t('room.title')} — ${s.name}`;
    you.textContent = me === null ? t('room.notMember') : `${t('room.you')}: ${partyName(me)} · K = ${fmt(s.pool)} · d = ${fmt(s.parties[me]?.disagreementPoint)}`;
    online.textContent = `${t('common.online')}: ${s.online.map((o) => o.userName).join(', ') || '—'}`;
    const round = s.currentRound;
    const open = round?.state === 'open' && s.state === 'open';
    // After agreement there is no next round to wait for (issue 17, point 3).
    roundInfo.textContent = s.agreement ? t('room.agreedStatus', { round: s.agreement.round })
      : round ? `${t('common.round')} ${round.round} · ${open ? t('state.open') : t('room.roundClosed')}` : t('room.noRound');
    roundInfo.dataset.round = String(round?.round ?? 0);
    roundInfo.dataset.state = open ? 'open' : 'closed';
    clear(bidders, s.parties.map((p) => {
      const bid = round?.bids.find((b) => b.partyIndex === p.index);
      return h('li', { 'data-party': p.index, 'data-bid': bid ? 'yes' : 'no' }, bid ? '✓ ' : '… ', p.name,
        bid?.demand !== null && bid?.demand !== undefined ? ` — ${fmt(bid.demand)}` : '');
    }));
    demand.disabled = !open || me === null;
    submit.disabled = !open || me === null || linkState !== 'connected';

    const last = s.rounds[s.rounds.length - 1];
    const mine = last?.parties.find((p) => p.partyIndex === me);
    const next = mine?.nextDemand;
    const bidThisRound = round?.bids.some((b) => b.partyIndex === me) ?? false;
    suggestion.hidden = !(open && me !== null && !s.agreement && !bidThisRound && next !== null && next !== undefined);
    if (!suggestion.hidden && next !== null && next !== undefined && me !== null) {
      // Two decimals, kept inside [d_i, K] so the rounding never makes it an invalid bid.
      const fill = Math.min(s.pool, Math.max(s.parties[me]?.disagreementPoint ?? 0, Math.round(next * 100) / 100));
      suggestion.dataset.value = String(next);
      suggestion.dataset.fill = String(fill);
      suggestion.textContent = t('room.suggestion', { demand: fmt(fill) });
      suggestion.title = t('room.suggestionHelp');
    }
    const target = mine?.target ?? (me !== null ? detail?.targetAllocation[me] : undefined);
    clear(analysis,
      h('dt', { title: t('room.ratioHelp') }, t('room.ratio')), h('dd', { id: 'own-ratio', title: t('room.ratioHelp') }, mine ? fmt(mine.ratio, 4) : '—'),
      h('dt', {}, t('common.target')), h('dd', { id: 'nbs-target', 'data-value': target ?? '' }, fmt(target)),
      h('dt', {}, t('room.mustConcede')), h('dd', { id: 'must-concede' }, last ? (last.mustConcede.map(partyName).join(', ') || t('common.none')) : '—'),
      h('dt', {}, t('room.gap')), h('dd', {}, last ? fmt(last.gap) : '—'),
      h('dt', {}, t('room.efficiency')), h('dd', {}, last ? fmt(last.nashEfficiency, 4) : '—'));
    // Moved by auto-concession because no bid came in time: say so, with the demand the model set (issue 17, point 2).
    notes.replaceChildren();
    if (mine?.autoConceded && last && !open) notes.append(h('p', { class: 'warn', id: 'auto-conceded' }, t('room.autoConceded', { round: last.round, demand: fmt(mine.demand) })));
    // On a tie every party must concede (MODEL §4): say that, rather than telling each one alone.
    const tie = last !== undefined && last.mustConcede.length === s.parties.length && s.parties.length > 1;
    if (last && me !== null && last.mustConcede.includes(me) && !s.agreement) notes.append(h('p', { class: 'warn', id: 'you-must-concede' }, t(tie ? 'room.allMustConcede' : 'room.youMustConcede')));
    clear(agreement, s.agreement ? h('p', { class: 'ok', id: 'agreement-text' }, t('room.agreement', { round: s.agreement.round }), ' ',
      s.agreement.allocation.map((k, i) => `${partyName(i)}: ${fmt(k)} (${fmt(s.agreement!.shares[i]! * 100, 1)}%)`).join(' · ')) : '');
    renderHistory(s);
    drawCharts(s);
    tick();
  }

  /**
   * Every closed round's demands (sealed rounds are shown once closed; in an open bidding round the
   * bids so far), with the NBS targets and the gap Σ D − K: where the talks stand (issue 17, point 8).
   */
  function renderHistory(s: SessionSnapshot): void {
    const me = own();
    const round = s.currentRound;
    const showOpen = round?.state === 'open' && round.bids.some((b) => b.demand !== null && b.demand !== undefined);
    const header = h('tr', {}, h('th', { scope: 'col' }, t('common.round')), ...s.parties.map((p) => h('th', { scope: 'col', class: p.index === me ? 'mine' : null }, p.name)),
      h('th', { scope: 'col' }, t('room.gap')));
    const rows = s.rounds.map((r) => h('tr', { 'data-round': r.round }, h('th', { scope: 'row' }, String(r.round)),
      ...s.parties.map((p) => {
        const x = r.parties.find((q) => q.partyIndex === p.index);
        return h('td', { class: p.index === me ? 'mine' : null }, x ? `${fmt(x.demand)}${x.autoConceded ? ' *' : ''}` : '—');
      }), h('td', {}, fmt(r.gap))));
    const live = showOpen && round ? h('tr', { 'data-round': round.round, class: 'open' }, h('th', { scope: 'row' }, `${round.round} (${t('state.open')})`),
      ...s.parties.map((p) => h('td', { class: p.index === me ? 'mine' : null }, fmt(round.bids.find((b) => b.partyIndex === p.index)?.demand))), h('td', {}, '')) : null;
    const targets = h('tr', { class: 'targets' }, h('th', { scope: 'row' }, t('common.target')),
      ...s.parties.map((p) => h('td', { class: p.index === me ? 'mine' : null }, fmt(s.rounds[s.rounds.length - 1]?.parties.find((q) => q.partyIndex === p.index)?.target ?? detail?.targetAllocation[p.index]))), h('td', {}, ''));
    clear(history, s.rounds.length === 0 && !live ? h('p', { class: 'muted' }, t('room.noHistory'))
      : [h('table', { class: 'data', id: 'round-table' }, h('thead', {}, header), h('tbody', {}, ...rows, live, targets)),
        s.rounds.some((r) => r.parties.some((x) => x.autoConceded)) ? h('p', { class: 'muted' }, `* ${t('audit.auto')}`) : null]);
  }

  function drawCharts(s: SessionSnapshot): void {
    // The agreed round is marked on every chart's axis (issue 17, point 7).
    const labels = s.rounds.map((r) => (s.agreement?.round === r.round ? `${r.round} ✓` : String(r.round)));
    const axis = (text: string) => ({ display: true, text, font: { size: 11 } });
    draw(demands.canvas, {
      type: 'line',
      data: {
        labels,
        datasets: s.parties.flatMap((p, i) => [
          { label: p.name, data: s.rounds.map((r) => r.parties[i]?.demand ?? null), borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] },
          { label: `${p.name} k*`, data: s.rounds.map((r) => r.parties[i]?.target ?? null), borderColor: palette[i % palette.length], borderDash: [6, 4], pointRadius: 0 },
        ]),
      },
      options: {
        // One legend entry per party, below the plot; the dashed lines are the targets (axis title).
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 10 }, filter: (item) => !item.text.endsWith(' k*') } } },
        scales: { x: { title: axis(t('common.round')) }, y: { title: axis(t('room.demandAxis')) } },
      },
    });
    // Convergence, not a flat efficiency line: the gap Σ D − K as a share of K, and the distance to the NBS (MODEL §4).
    draw(convergence.canvas, {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: t('room.gapShare'), data: s.rounds.map((r) => Math.max(0, r.gap) / s.pool), borderColor: palette[0], backgroundColor: palette[0] },
          { label: t('room.distance'), data: s.rounds.map((r) => r.distance), borderColor: palette[2], backgroundColor: palette[2], borderDash: [6, 4] },
        ],
      },
      options: {
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 10 } } } },
        scales: { x: { title: axis(t('common.round')) }, y: { min: 0, title: axis(t('room.convergenceAxis')) } },
      },
    });
    draw(powers.canvas, {
      type: 'bar',
      data: { labels: s.parties.map((p) => p.name), datasets: [{ label: 'h', data: s.parties.map((p) => p.power), backgroundColor: s.parties.map((_, i) => palette[i % palette.length]!) }] },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        // Long party names are shortened on the axis (they were cut off); the tooltip has the whole name.
        scales: {
          x: { min: 0, title: axis(t('common.power')) },
          y: { ticks: { callback: (_v, i) => { const n = s.parties[i]?.name ?? ''; return n.length > 16 ? `${n.slice(0, 15)}…` : n; } } },
        },
      },
    });
  }


  function tick(): void {
    const round = snap?.currentRound;
    timer.textContent = round && round.state === 'open' && snap?.state === 'open' ? timeLeft(round.deadlineUtc, skewMs) : '—';
  }
  const interval = window.setInterval(tick, 500);

  let linkState: LinkState = 'connecting';
  function setState(state: LinkState, status?: number): void {
    linkState = state;
    banner.hidden = state === 'connected' || state === 'connecting';
    banner.textContent = state === 'refused' ? t(status === 401 ? 'room.signedOut' : 'room.refused', { status: status ?? 0 }) : t('room.reconnecting');
    banner.classList.toggle('error', state === 'refused');
    main.dataset.link = state;
    // Nothing can be sent without the live connection: no enabled button that does nothing.
    submit.disabled = state !== 'connected' || submit.disabled;
  }

  const link = new SessionLink(sessionId, {
    snapshot: (s) => {
      snap = s;
      skewMs = Date.parse(s.serverTimeUtc) - Date.now();
      render();
    },
    roundOpened: (m) => {
      demand.value = ''; // last round's demand is not this round's bid
      if (!snap) return;
      snap.currentRound = { round: m.round, state: 'open', openedUtc: m.openedUtc, deadlineUtc: m.deadlineUtc, bids: [] };
      bidResult.textContent = '';
      render();
    },
    bidAccepted: (m) => {
      const round = snap?.currentRound;
      if (!round || round.round !== m.round) return;
      round.bids = [...round.bids.filter((b) => b.partyIndex !== m.partyIndex), { partyIndex: m.partyIndex, demand: m.demand }];
      render();
    },
    roundClosed: (m) => {
      if (!snap) return;
      snap.rounds = [...snap.rounds.filter((r) => r.round !== m.analysis.round), m.analysis];
      if (snap.currentRound?.round === m.analysis.round) {
        snap.currentRound.state = 'closed';
        snap.currentRound.bids = m.analysis.parties.map((p) => ({ partyIndex: p.partyIndex, demand: p.demand }));
      }
      render();
    },
    agreementReached: (m) => {
      if (!snap) return;
      snap.agreement = m.agreement;
      snap.state = 'agreed';
      render();
    },
    contractRevised: (m) => {
      if (!snap) return;
      snap.contract = m.contract;
      render();
    },
    presence: (m) => {
      if (!snap) return;
      snap.online = m.online;
      render();
    },
    state: setState,
  });
  void link.start();
  api<SessionDetail>('GET', `/api/sessions/${sessionId}`).then((d) => {
    detail = d;
    render();
  }, () => undefined);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    bidResult.textContent = '';
    const me = own();
    const round = snap?.currentRound;
    if (!snap || me === null || !round) return;
    const party = snap.parties[me]!;
    const check = checkDemand(demand.value, party.disagreementPoint, snap.pool);
    const slot = document.getElementById(`${demand.id}-error`)!;
    if (!check.ok) {
      demand.setAttribute('aria-invalid', 'true');
      slot.textContent = t(`demand.${check.reason}`, { min: fmt(check.min), max: fmt(check.max) });
      demand.focus();
      return;
    }
    submit.disabled = true;
    try {
      const ack = await link.submitBid({ bidId: crypto.randomUUID(), round: round.round, demand: check.value });
      bidResult.textContent = t('room.submitted', { round: ack.round });
    } catch (error) {
      demand.setAttribute('aria-invalid', 'true');
      slot.textContent = hubErrorText(error);
    } finally {
      submit.disabled = false;
    }
  });

  return () => {
    window.clearInterval(interval);
    void link.stop();
  };
}
