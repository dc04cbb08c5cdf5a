import { api } from '../api';
import { t } from '../app';
import { clear, fmt, h } from '../dom';
import { formatDelta, revisionTimeline, type RevisionRecord } from '../revisions';
import { sessionPicker } from './room';

interface Bid { bidId: string; round: number; partyIndex: number; demand: number; submittedUtc: string; autoConceded: boolean }
interface Analysis { gap: number; compatible: boolean; nashEfficiency: number; mustConcede: number[] }
interface History {
  session: { id: string; name: string; state: string; pool: number };
  parties: { index: number; name: string }[];
  rounds: { round: { number: number; state: string; openedUtc: string; closedUtc?: string | null; closeReason?: string | null }; bids: Bid[]; analysis?: Analysis | null }[];
  contract?: { id: string; currentRevision: number; sharesJson: string } | null;
  revisions: RevisionRecord[];
  auditEntries: number;
  lastHash?: string | null;
}
interface Verify { valid: boolean; entries: number; firstBrokenEntry?: number | null; problems: string[]; lastHash?: string | null }

/** A button that verifies one chain (a session's or the platform's) and the live region that says the outcome. */
function verifier(id: string, url: string): { button: HTMLElement; result: HTMLElement } {
  const result = h('div', { id: `${id}-result`, role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'primary', id }, t('audit.verify'));
  button.addEventListener('click', async () => {
    clear(result, t('common.loading'));
    delete result.dataset.valid;
    try {
      const v = await api<Verify>('GET', url);
      result.dataset.valid = String(v.valid);
      clear(result, h('p', { class: v.valid ? 'ok' : 'warn' }, v.valid ? t('audit.valid', { entries: v.entries }) : t('audit.invalid', { first: v.firstBrokenEntry ?? '?' })),
        v.problems.length ? h('ul', {}, ...v.problems.map((p) => h('li', {}, p))) : null,
        v.lastHash ? h('p', { class: 'mono wrap' }, `${t('audit.lastHash')}: ${v.lastHash}`) : null);
    } catch (error) {
      clear(result, h('p', { class: 'form-error' }, error instanceof Error ? error.message : String(error)));
    }
  });
  return { button, result };
}

/** Times as the chain keeps them, in UTC, said so: an audit compares times across offices. */
const time = (s?: string | null) => (s ? `${new Date(s).toISOString().replace('T', ' ').slice(0, 19)} UTC` : '—');

/** The auditor's read-only viewer: sessions, the replayable history, chain verification and exports. */
export function renderAudit(main: HTMLElement, sessionId?: string): () => void {
  if (!sessionId) {
    sessionPicker(main, '#/audit', t('audit.title'));
    // The platform's own chain: accounts, invitations and role grants, verified like a session's.
    const platform = verifier('verify-platform', '/api/audit/verify');
    main.append(h('section', { class: 'card', id: 'platform-chain' }, h('h2', {}, t('audit.platformChain')),
      h('p', { class: 'muted' }, t('audit.platformChainHelp')),
      h('p', { class: 'actions' }, platform.button,
        h('a', { class: 'button', id: 'download-platform-digest', href: '/api/audit/digest', download: 'platform-digest.json' }, t('audit.downloadDigest'))),
      platform.result));
    return () => {};
  }
  const { button: verify, result } = verifier('verify', `/api/audit/verify?sessionId=${sessionId}`);
  const timeline = h('ol', { id: 'timeline', class: 'timeline' }, h('li', {}, t('common.loading')));
  const summary = h('p', { id: 'audit-summary', class: 'muted' });
  const contractTimeline = h('div', { id: 'contract-timeline' }, t('common.loading'));
  const heading = h('h1', {}, t('audit.title'));
  main.append(h('section', { class: 'card' }, heading,
    h('p', { class: 'actions' }, verify,
      h('a', { class: 'button', id: 'download-csv', href: `/api/sessions/${sessionId}/export?format=csv`, download: '' }, t('audit.downloadCsv')),
      h('a', { class: 'button', id: 'download-json', href: `/api/sessions/${sessionId}/export?format=json`, download: '' }, t('audit.downloadJson')),
      h('a', { class: 'button', id: 'download-digest', href: `/api/audit/digest?sessionId=${sessionId}`, download: `digest-${sessionId}.json` }, t('audit.downloadDigest'))),
    result),
  h('section', { class: 'card' }, h('h2', {}, t('audit.history')), timeline, summary),
  h('section', { class: 'card' }, h('h2', {}, t('audit.contractTimeline')), contractTimeline));

  api<History>('GET', `/api/sessions/${sessionId}/history`).then((hist) => {
    const name = (i: number) => hist.parties[i]?.name ?? `#${i}`;
    heading.textContent = `${t('audit.title')} — ${hist.session.name}`;
    clear(timeline,
      ...hist.rounds.map((r) => h('li', { 'data-round': r.round.number },
        h('h3', {}, `${t('common.round')} ${r.round.number} · ${t(`state.${r.round.state}`)}${r.round.closeReason ? ` (${t(`audit.reason.${r.round.closeReason}`)})` : ''}`),
        h('p', { class: 'muted' }, `${time(r.round.openedUtc)} → ${time(r.round.closedUtc)}`),
        h('ul', {}, ...r.bids.map((b) => h('li', { 'data-auto': b.autoConceded ? 'yes' : 'no' }, `${time(b.submittedUtc)} ${name(b.partyIndex)}: D = ${fmt(b.demand)}${b.autoConceded ? ` (${t('audit.auto')})` : ''}`))),
        r.analysis ? h('p', {}, `${t('room.gap')} ${fmt(r.analysis.gap)} · ${r.analysis.compatible ? t('audit.compatible') : t('audit.incompatible')} · ${t('room.efficiency')} ${fmt(r.analysis.nashEfficiency, 4)}`) : null)));
    // The chain's size is not a round: it stands below the list, not numbered in it.
    clear(summary, `${t('audit.auditEntries')}: ${hist.auditEntries}`, hist.lastHash ? h('span', { class: 'mono wrap' }, ` · ${hist.lastHash}`) : null);
    renderContractTimeline(contractTimeline, hist.revisions, name);
  }, (e: unknown) => clear(timeline, h('li', { class: 'form-error' }, e instanceof Error ? e.message : String(e))));
  return () => {};
}

/** The contract's revisions, one column per revision: shares with their change since the previous revision, and the distance to s*. */
function renderContractTimeline(target: HTMLElement, revisions: RevisionRecord[], name: (i: number) => string): void {
  const steps = revisionTimeline(revisions);
  if (steps.length === 0) {
    clear(target, h('p', { class: 'muted' }, t('audit.noContract')));
    return;
  }
  const parties = Math.max(...steps.map((s) => s.shares.length));
  clear(target, h('div', { class: 'scroll' }, h('table', { class: 'data', id: 'revision-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('common.party')),
      ...steps.map((s) => h('th', { scope: 'col', 'data-revision': s.number }, `#${s.number} · ${s.kind}`, h('br'),
        h('span', { class: 'muted' }, `${t('audit.period')} ${s.period}${s.lambda !== null ? ` · λ ${fmt(s.lambda, 3)}` : ''} · ${time(s.createdUtc)}`))))),
    h('tbody', {},
      ...Array.from({ length: parties }, (_, i) => h('tr', { 'data-party': i }, h('th', { scope: 'row' }, name(i)),
        ...steps.map((s) => {
          const delta = formatDelta(s.deltas[i] ?? null);
          return h('td', { 'data-revision': s.number }, fmt(s.shares[i], 4),
            delta ? h('span', { class: `delta ${delta.startsWith('+') ? 'up' : delta === '0' ? '' : 'down'}` }, ` (${delta})`) : null,
            s.optimum ? h('div', { class: 'muted' }, `s* ${fmt(s.optimum[i], 4)}`) : null);
        }))),
      h('tr', {}, h('th', { scope: 'row' }, t('audit.distance')), ...steps.map((s) => h('td', { 'data-revision': s.number, 'data-distance': s.distanceToOptimum ?? '' }, s.distanceToOptimum === null ? '—' : fmt(s.distanceToOptimum, 4)))),
      steps.some((s) => s.tangibleShares) ? h('tr', {}, h('th', { scope: 'row' }, t('audit.tangible')),
        ...steps.map((s) => h('td', {}, s.tangibleShares ? s.tangibleShares.map((x) => fmt(x, 3)).join(' / ') : '—'))) : null))));
}
