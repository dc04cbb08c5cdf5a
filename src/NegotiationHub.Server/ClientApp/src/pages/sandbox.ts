import type { ChartConfiguration } from 'chart.js';
import { api, clearErrors, showErrors } from '../api';
import { t } from '../app';
import { chartBox, draw, palette } from '../charts';
import { clear, field, h } from '../dom';
import { parseNumberList } from '../validation';

/** Every calculator PRODUCT.md names; the sandbox shows those the server's OpenAPI document lists. */
export const calculatorNames = ['bargaining-power', 'nash', 'round', 'revision', 'ahp', 'gem', 'effort-game', 'cost-allocation', 'risk-allocation', 'spillover', 'symbiosis'] as const;

type Kind = 'number' | 'list' | 'matrix';
interface FieldSpec { name: string; kind: Kind; value: string; label?: string }
interface CalculatorSpec { fields?: FieldSpec[]; example?: unknown; chart: (r: any, body: any) => ChartConfiguration | null }

const bars = (labels: string[], data: number[], label: string): ChartConfiguration => ({
  type: 'bar', data: { labels, datasets: [{ label, data, backgroundColor: labels.map((_, i) => palette[i % palette.length]!) }] },
});
const idx = (xs: unknown[], prefix = '#') => xs.map((_, i) => `${prefix}${i + 1}`);

/** The first array of numbers anywhere in a response (depth-first): the generic chart. */
export function firstNumberArray(value: unknown, path = ''): { path: string; values: number[] } | null {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'number')) return { path, values: value as number[] };
    for (let i = 0; i < value.length; i++) {
      const hit = firstNumberArray(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = firstNumberArray(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}

const genericChart = (r: unknown): ChartConfiguration | null => {
  const hit = firstNumberArray(r);
  return hit ? bars(idx(hit.values), hit.values, hit.path) : null;
};

const specs: Record<string, CalculatorSpec> = {
  'bargaining-power': { example: { strengths: [[3, 2, 5], [1, 4, 2], [2, 2, 3]], weights: [0.5, 0.3, 0.2] }, chart: (r) => bars(idx(r.power), r.power, 'h') },
  nash: {
    fields: [
      { name: 'pool', kind: 'number', value: '1000' },
      { name: 'powers', kind: 'list', value: '0.4, 0.3, 0.2, 0.1' },
      { name: 'disagreement', kind: 'list', value: '50, 50, 20, 10' },
    ],
    chart: (r) => bars(idx(r.solution.allocation), r.solution.allocation, 'k*'),
  },
  round: {
    fields: [
      { name: 'pool', kind: 'number', value: '1000' },
      { name: 'powers', kind: 'list', value: '0.4, 0.3, 0.2, 0.1' },
      { name: 'demands', kind: 'list', value: '450, 350, 250, 150' },
      { name: 'disagreement', kind: 'list', value: '0, 0, 0, 0' },
    ],
    chart: (r) => ({
      type: 'bar',
      data: {
        labels: idx(r.parties),
        datasets: [
          { label: 'D', data: r.parties.map((p: any) => p.demand), backgroundColor: palette[0] },
          { label: 'k*', data: r.parties.map((p: any) => p.target), backgroundColor: palette[2] },
        ],
      },
    }),
  },
  ahp: {
    fields: [{ name: 'matrix', kind: 'matrix', value: '[[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]' }],
    chart: (r) => bars(idx(r.weights, 'w'), r.weights, `CR = ${Number(r.cr).toFixed(4)}`),
  },
  spillover: {
    fields: [
      { name: 'demandIntercept', kind: 'number', value: '100', label: 'a' },
      { name: 'demandSlope', kind: 'number', value: '1', label: 'b' },
      { name: 'baseUnitCost', kind: 'number', value: '60', label: 'A' },
      { name: 'beta', kind: 'number', value: '0.5', label: 'β' },
      { name: 'gamma', kind: 'number', value: '10', label: 'γ' },
      { name: 'firmCount', kind: 'number', value: '2', label: 'n' },
      { name: 'betaPoints', kind: 'number', value: '21', label: 'β points' },
    ],
    chart: (r) => r.sweep ? ({
      type: 'line',
      data: {
        labels: r.sweep.beta.map((b: number) => b.toFixed(2)),
        datasets: (['noCooperation', 'rndCooperation', 'fullCooperation'] as const).map((k, i) => ({ label: k, data: r.sweep[k], borderColor: palette[i] })),
      },
      options: { scales: { x: { title: { display: true, text: 'β' } }, y: { title: { display: true, text: 'x' } } } },
    }) : genericChart(r),
  },
  symbiosis: {
    fields: [
      { name: 'growthRates', kind: 'list', value: '0.5, 0.4, 0.3' },
      { name: 'capacities', kind: 'list', value: '100, 80, 60' },
      { name: 'delta', kind: 'matrix', value: '[[0, 0.2, 0.1], [0.3, 0, 0.2], [0.1, 0.2, 0]]' },
      { name: 'initial', kind: 'list', value: '10, 8, 6' },
      { name: 'horizon', kind: 'number', value: '40' },
      { name: 'points', kind: 'number', value: '81' },
    ],
    chart: (r) => ({
      type: 'line',
      data: {
        labels: r.trajectory.times.map((x: number) => x.toFixed(1)),
        datasets: r.trajectory.values.map((series: number[], i: number) => ({ label: `Q${i + 1}`, data: series, borderColor: palette[i % palette.length], pointRadius: 0 })),
      },
      options: { scales: { x: { title: { display: true, text: 't' } } } },
    }),
  },
  revision: {
    example: { currentShares: [0.4, 0.35, 0.25], optimalShares: [0.3, 0.4, 0.3], lambda: 0.5, periods: 10 },
    chart: (r) => ({
      type: 'line',
      data: { labels: r.path.map((_: unknown, i: number) => String(i + 1)), datasets: r.currentShares.map((_: number, i: number) => ({ label: `s${i + 1}`, data: r.path.map((p: number[]) => p[i]), borderColor: palette[i % palette.length] })) },
    }),
  },
  gem: { example: { scores: [[7, 8, 6], [6, 9, 7], [8, 7, 7]] }, chart: genericChart },
  'effort-game': { example: { contributions: [0.6, 0.5], costCoefficients: [1, 2], shares: [0.5, 0.5] }, chart: (r) => bars(idx(r.optimum.shares, 't'), r.optimum.shares, 't*') },
  'cost-allocation': { example: { costs: [[[100, 20], [50, 0]], [[80, 10], [120, 5]]], contributionDegrees: [[[1, 0.5], [0.8, 1]], [[0.5, 1], [1, 0.2]]], rate: 0.1, pool: 1000 }, chart: genericChart },
  'risk-allocation': {
    example: { marketRisks: [[0.2, 0.1], [0.1, 0.3]], technicalRisks: [[0.1, 0.2], [0.3, 0.1]], cooperationRisks: [[0.5, 0], [0.2, 0.1]] },
    chart: (r) => bars(idx(r.shares, 'v'), r.shares, 'v'),
  },
};

/** Reads the calculators the server documents in OpenAPI; all known names if the document is unavailable. */
async function availableCalculators(): Promise<string[]> {
  try {
    const doc = await api<{ paths: Record<string, unknown> }>('GET', '/openapi/v1.json');
    const names = Object.keys(doc.paths).filter((p) => p.startsWith('/api/models/') && !p.includes('{') && p.split('/').length === 4).map((p) => p.split('/')[3]!);
    return names.filter((n) => n !== 'templates' && !n.includes('template'));
  } catch {
    return [...calculatorNames];
  }
}

/** Builds the request from the form's inputs; text that does not parse is sent as is, so the server names the field. */
function readBody(spec: CalculatorSpec, inputs: Map<string, HTMLInputElement | HTMLTextAreaElement>): unknown {
  if (!spec.fields) return inputs.get('body')!.value;
  const body: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const text = inputs.get(f.name)!.value.trim();
    if (text === '') continue;
    if (f.kind === 'number') body[f.name] = Number.isFinite(Number(text)) ? Number(text) : text;
    else if (f.kind === 'list') body[f.name] = parseNumberList(text) ?? text;
    else {
      try {
        body[f.name] = JSON.parse(text);
      } catch {
        body[f.name] = text;
      }
    }
  }
  return body;
}

/** A calculator's title in the UI language (the id, for one this client does not know). */
const calcTitle = (name: string) => { const title = t(`calc.${name}`); return title === `calc.${name}` ? name : title; };
/** A request field's label in the UI language; the JSON name stays the field's id for errors. */
const fieldLabel = (name: string) => { const label = t(`sfield.${name}`); return label === `sfield.${name}` ? name : label; };

export function renderSandbox(main: HTMLElement): () => void {
  const select = h('select', { id: 'calculator' });
  const panel = h('div', { id: 'calculator-panel' });
  main.append(h('section', { class: 'card' }, h('h1', {}, t('sandbox.title')), field(t('sandbox.calculator'), select)), panel);
  void availableCalculators().then((names) => {
    const known = names.filter((n) => n in specs).concat(names.filter((n) => !(n in specs)));
    clear(select, known.map((n) => h('option', { value: n }, calcTitle(n))));
    select.dataset.available = known.join(',');
    const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('c');
    if (wanted && known.includes(wanted)) select.value = wanted;
    show();
  });
  select.addEventListener('change', show);

  function show(): void {
    const name = select.value;
    const spec: CalculatorSpec = specs[name] ?? { example: {}, chart: genericChart };
    const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
    const fields = spec.fields
      ? spec.fields.map((f) => {
          const input = f.kind === 'matrix' ? h('textarea', { rows: 3, name: f.name }) : h('input', { name: f.name, inputmode: f.kind === 'number' ? 'decimal' : 'text' });
          input.value = f.value;
          inputs.set(f.name, input);
          const hint = f.kind === 'list' ? ` (${t('sandbox.list')})` : f.kind === 'matrix' ? ` (${t('sandbox.matrix')})` : '';
          return field(`${fieldLabel(f.name)}${f.label ? ` (${f.label})` : ''}${hint}`, input, f.name);
        })
      : (() => {
          const body = h('textarea', { rows: 8, name: 'body', class: 'mono' });
          body.value = JSON.stringify(spec.example ?? {}, null, 2);
          inputs.set('body', body);
          return [field(t('sandbox.body'), body, '')];
        })();
    const { box, canvas } = chartBox(name);
    canvas.id = 'sandbox-chart';
    const output = h('pre', { id: 'sandbox-output', class: 'output' });
    const form = h('form', { class: 'card', id: 'sandbox-form', novalidate: true, 'data-calculator': name }, h('h2', {}, calcTitle(name)), ...fields,
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit', class: 'primary' }, t('sandbox.run')));
    clear(panel, h('div', { class: 'grid' }, form, h('section', { class: 'card' }, h('h2', {}, t('sandbox.result')), box, output)));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const body = readBody(spec, inputs);
      if (!spec.fields) {
        try {
          JSON.parse(body as string);
        } catch {
          showErrors(form, new Error(t('sandbox.invalidJson')));
          return;
        }
      }
      try {
        const result = await api<unknown>('POST', `/api/models/${name}`, body);
        output.textContent = JSON.stringify(result, null, 2);
        const config = spec.chart(result, body);
        if (config) draw(canvas, config);
      } catch (error) {
        delete canvas.dataset.drawn;
        showErrors(form, error);
      }
    });
  }
  return () => {};
}
