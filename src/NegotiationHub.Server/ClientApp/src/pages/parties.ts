import { t } from '../app';
import { h } from '../dom';

/** A party row as POST /api/sessions takes it. */
export interface PartyInput {
  name: string;
  utility: { kind: string; alpha?: number | string; scale?: number | string; rho?: number | string };
  disagreement: number | string;
}

/** The utility kinds of MODEL §2 and the parameter each one takes (linear takes none). */
const kinds: { kind: string; parameter: 'alpha' | 'scale' | 'rho' | null; initial: string }[] = [
  { kind: 'linear', parameter: null, initial: '' },
  { kind: 'power', parameter: 'alpha', initial: '0.8' },
  { kind: 'log', parameter: 'scale', initial: '100' },
  { kind: 'exponential', parameter: 'rho', initial: '0.005' },
];

/** Numbers go to the server as typed when they do not parse, so its validation names the field. */
const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/**
 * The parties of a 3+1 session set-up: per party its utility (MODEL §2, with its parameter), its
 * disagreement point d_i and its strengths I[i][p] on each factor (MODEL §1). Every input carries the
 * server's JSON path (parties[i].utility.alpha, parties[i].disagreement, strengths[i][p]), so a 400
 * lands next to the cell it names.
 */
export function partiesEditor(partyNames: readonly string[], factorCount: number): { element: HTMLElement; parties: () => PartyInput[]; strengths: () => (number | string)[][] } {
  const rows = partyNames.map((name, i) => {
    const kind = h('select', { 'aria-label': `${name}: ${t('console.utility')}` }, ...kinds.map((k) => h('option', { value: k.kind }, t(`utility.${k.kind}`))));
    kind.dataset.field = `parties[${i}].utility.kind`;
    const parameter = h('input', { inputmode: 'decimal', 'aria-label': `${name}: ${t('console.utilityParameter')}`, disabled: true });
    const disagreement = h('input', { inputmode: 'decimal', value: '0', 'aria-label': `${name}: d` });
    disagreement.dataset.field = `parties[${i}].disagreement`;
    const strengths = Array.from({ length: factorCount }, (_, p) => {
      const input = h('input', { inputmode: 'decimal', value: '1', 'aria-label': `${name}: F${p + 1}` });
      input.dataset.field = `strengths[${i}][${p}]`;
      return input;
    });
    const sync = () => {
      const spec = kinds.find((k) => k.kind === kind.value)!;
      parameter.disabled = spec.parameter === null;
      parameter.placeholder = spec.parameter ? t(`utility.${spec.parameter}`) : '';
      if (spec.parameter === null) parameter.value = '';
      else if (parameter.value === '') parameter.value = spec.initial;
      parameter.dataset.field = spec.parameter ? `parties[${i}].utility.${spec.parameter}` : `parties[${i}].utility`;
    };
    kind.addEventListener('change', sync);
    sync();
    return { name, kind, parameter, disagreement, strengths };
  });

  const element = h('fieldset', { class: 'parties', id: 'parties-editor' }, h('legend', {}, t('console.parties')),
    h('p', { class: 'muted' }, t('console.partiesHint')),
    h('div', { class: 'scroll' }, h('table', { class: 'parties' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('common.party')), h('th', { scope: 'col' }, t('console.utility')),
        h('th', { scope: 'col' }, t('console.utilityParameter')), h('th', { scope: 'col' }, 'd'),
        ...Array.from({ length: factorCount }, (_, p) => h('th', { scope: 'col' }, `I·F${p + 1}`)))),
      h('tbody', {}, ...rows.map((r, i) => h('tr', { 'data-party': i }, h('th', { scope: 'row' }, r.name),
        h('td', {}, r.kind), h('td', {}, r.parameter), h('td', {}, r.disagreement), ...r.strengths.map((s) => h('td', {}, s))))))),
    h('div', { class: 'field-error', id: 'parties-error', role: 'alert', 'aria-live': 'polite' }));
  // Errors on any cell are written to the one slot under the table (each cell names its path).
  for (const r of rows) for (const input of [r.kind, r.parameter, r.disagreement, ...r.strengths]) input.setAttribute('aria-describedby', 'parties-error');

  return {
    element,
    parties: () => rows.map((r) => {
      const spec = kinds.find((k) => k.kind === r.kind.value)!;
      const utility: PartyInput['utility'] = { kind: spec.kind };
      if (spec.parameter) utility[spec.parameter] = num(r.parameter.value);
      return { name: r.name, utility, disagreement: num(r.disagreement.value) };
    }),
    strengths: () => rows.map((r) => r.strengths.map((s) => num(s.value))),
  };
}
