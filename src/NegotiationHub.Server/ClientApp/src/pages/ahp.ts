import { api, ApiError } from '../api';
import { t } from '../app';
import { fieldFor } from '../problems';
import { clear, fmt, h } from '../dom';
import { parseJudgement } from '../validation';

interface AhpResult { weights: number[]; lambdaMax: number; ci: number; cr: number; consistent: boolean }

/**
 * An AHP pairwise-matrix editor (MODEL §6): the user fills the upper triangle, the lower one is its
 * reciprocal, and CR is recomputed live by POST /api/models/ahp. `prefix` is the matrix's JSON path
 * in the enclosing form (e.g. "factorMatrix"), so server errors land on the cell they name.
 */
export function ahpEditor(names: string[], prefix: string): { element: HTMLElement; matrix: () => number[][] | null } {
  const n = names.length;
  const cells: HTMLInputElement[][] = [];
  const lower: HTMLElement[][] = [];
  const status = h('div', { id: 'ahp-status', class: 'ahp-status', 'aria-live': 'polite' });
  const table = h('table', { class: 'matrix' },
    h('thead', {}, h('tr', {}, h('th', {}), ...names.map((_, j) => h('th', { scope: 'col', title: names[j] }, `F${j + 1}`)))),
    h('tbody', {}, ...names.map((name, i) => h('tr', {}, h('th', { scope: 'row', title: name }, `F${i + 1}`), ...names.map((_, j) => {
      if (i === j) return h('td', {}, '1');
      if (j < i) {
        const span = h('span', { class: 'muted' }, '1');
        (lower[i] ??= [])[j] = span;
        return h('td', {}, span);
      }
      const input = h('input', { value: '1', size: 3, inputmode: 'decimal', 'aria-label': `${names[i]} / ${names[j]}` });
      input.dataset.field = `${prefix}[${i}][${j}]`;
      (cells[i] ??= [])[j] = input;
      input.addEventListener('input', schedule);
      return h('td', {}, input);
    })))));

  function matrix(): number[][] | null {
    const m = Array.from({ length: n }, () => Array<number>(n).fill(1));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const input = cells[i]![j]!;
        const v = parseJudgement(input.value);
        input.toggleAttribute('aria-invalid', v === null);
        if (v === null) return null;
        m[i]![j] = v;
        m[j]![i] = 1 / v;
        lower[j]![i]!.textContent = fmt(1 / v, 3);
      }
    }
    return m;
  }

  let timer = 0;
  let version = 0;
  function schedule(): void {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void evaluate(), 250);
  }

  async function evaluate(): Promise<void> {
    const m = matrix();
    if (!m) {
      clear(status, h('span', { class: 'field-error' }, '1–9, 1/3 …'));
      return;
    }
    const mine = ++version;
    try {
      const r = await api<AhpResult>('POST', '/api/models/ahp', { matrix: m });
      if (mine !== version) return;
      status.dataset.cr = String(r.cr);
      clear(status,
        h('span', { id: 'ahp-cr', class: r.consistent ? 'ok' : 'warn' }, `${t('console.cr')} = ${fmt(r.cr, 4)} — ${t(r.consistent ? 'console.consistent' : 'console.inconsistent')}`),
        h('br'), `${t('console.weights')}: `, r.weights.map((w, i) => `F${i + 1} ${fmt(w, 3)}`).join(' · '));
    } catch (error) {
      if (mine !== version) return;
      const errors = error instanceof ApiError ? error.problem.errors ?? {} : {};
      const text = Object.entries(errors).map(([k, v]) => `${k.replace(/^matrix/, prefix)}: ${v.join(' ')}`).join(' ');
      for (const key of Object.keys(errors)) {
        const path = fieldFor(key.replace(/^matrix/, prefix), cells.flat().map((c) => c.dataset.field!));
        cells.flat().find((c) => c.dataset.field === path)?.setAttribute('aria-invalid', 'true');
      }
      clear(status, h('span', { class: 'field-error' }, text || String(error)));
    }
  }

  const element = h('fieldset', { class: 'ahp' }, h('legend', {}, t('console.ahp')), h('p', { class: 'muted' }, t('console.ahpHint')),
    h('ol', { class: 'factor-names' }, ...names.map((name, i) => h('li', {}, `F${i + 1}: ${name}`))),
    h('div', { class: 'scroll' }, table), status);
  element.dataset.field = prefix;
  void evaluate();
  return { element, matrix };
}
