import { Chart, registerables, type ChartConfiguration } from 'chart.js';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

export const palette = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563'];

const charts = new WeakMap<HTMLCanvasElement, Chart>();

/** Draws (or redraws) a chart on a canvas, replacing the one drawn there before. */
export function draw(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  charts.get(canvas)?.destroy();
  const chart = new Chart(canvas, config);
  charts.set(canvas, chart);
  canvas.dataset.drawn = 'true';
  return chart;
}

/** A canvas in a fixed-height box (Chart.js sizes itself to the box). */
export function chartBox(label: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const box = document.createElement('div');
  box.className = 'chart';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  box.append(canvas);
  return { box, canvas };
}
