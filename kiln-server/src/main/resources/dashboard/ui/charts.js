// One live chart per metric a training reports (loss, accuracy …), against the step, drawn with uPlot.

import uPlot from './vendor/uplot/dist/uPlot.esm.js';
import { fill, h } from './dom.js';
import { byMetricName, metric } from './format.js';

const LOSS_COLOR = '#ea580c';
const PALETTE = ['#2563eb', '#0d9488', '#7c3aed', '#db2777', '#ca8a04', '#0891b2', '#4d7c0f'];
const HEIGHT = 220;

/** The charts of one training: feed it progress reports, in any order and with repeats. */
export class MetricCharts {
  constructor(container, { finished = false } = {}) {
    this.container = container;
    this.metrics = new Map();
    this.frame = 0;
    this.finished = finished;
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(container);
    this.showEmpty();
  }

  /** Adds one report: a step and its metrics. */
  add(step, metrics) {
    if (!metrics) return;
    for (const [name, value] of Object.entries(metrics)) {
      if (typeof value !== 'number') continue;
      const m = this.metrics.get(name) || this.create(name);
      const i = sortedIndex(m.steps, step);
      if (m.steps[i] === step) {
        m.values[i] = value;
      } else {
        m.steps.splice(i, 0, step);
        m.values.splice(i, 0, value);
      }
      m.dirty = true;
    }
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Says whether the training ended, for the empty-state text. */
  setFinished(finished) {
    this.finished = finished;
    if (!this.metrics.size) this.showEmpty();
  }

  showEmpty() {
    fill(this.container, h('div', { class: 'empty charts-empty' }, this.finished
      ? 'This training reported no metrics.'
      : 'Waiting for the first progress report…'));
  }

  create(name) {
    if (!this.metrics.size) fill(this.container);
    const others = [...this.metrics.keys()].filter((n) => !/loss/i.test(n)).length;
    const color = /loss/i.test(name) && ![...this.metrics.keys()].some((n) => /loss/i.test(n))
      ? LOSS_COLOR : PALETTE[others % PALETTE.length];
    const value = h('span', { class: 'chart-value' });
    const hover = h('span', { class: 'chart-hover muted' });
    const plotBox = h('div', { class: 'chart-plot' });
    const card = h('figure', { class: 'chart', dataset: { metric: name, points: 0 } },
      h('figcaption', { class: 'chart-head' },
        h('span', { class: 'chart-swatch', style: { background: color } }),
        h('span', { class: 'chart-name' }, name), hover, value),
      plotBox);
    const next = [...this.metrics.values()].find((x) => byMetricName(name, x.name) < 0);
    this.container.insertBefore(card, next ? next.card : null);
    const m = { name, color, steps: [], values: [], card, value, hover, plotBox, plot: null, dirty: false };
    this.metrics.set(name, m);
    return m;
  }

  draw() {
    this.frame = 0;
    for (const m of this.metrics.values()) {
      if (!m.dirty) continue;
      m.dirty = false;
      if (!m.plot) m.plot = this.plot(m);
      m.plot.setData([m.steps, m.values]);
      m.card.dataset.points = String(m.steps.length);
      const last = m.values[m.values.length - 1];
      m.value.textContent = metric(last);
      m.value.title = `${m.name} at step ${m.steps[m.steps.length - 1]}`;
    }
  }

  plot(m) {
    const css = getComputedStyle(document.documentElement);
    const ink = css.getPropertyValue('--muted').trim() || '#64748b';
    const grid = css.getPropertyValue('--grid').trim() || '#e2e8f0';
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
      font: '12px system-ui, sans-serif' };
    return new uPlot({
      width: Math.max(200, m.plotBox.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 1e5, 1e6],
          label: 'step', labelSize: 18, labelFont: '12px system-ui, sans-serif' },
        { ...axis, size: 56, values: (u, ticks) => ticks.map((v) => metric(v)) },
      ],
      series: [
        { label: 'step' },
        { label: m.name, stroke: m.color, width: 2, fill: `${m.color}1f`,
          points: { show: (u) => u.data[0].length <= 60, size: 6, fill: m.color } },
      ],
      hooks: {
        setCursor: [(u) => {
          const i = u.cursor.idx;
          m.hover.textContent = i == null ? '' : `step ${u.data[0][i]}: ${metric(u.data[1][i])}`;
        }],
      },
    }, [m.steps, m.values], m.plotBox);
  }

  fit() {
    for (const m of this.metrics.values()) {
      if (m.plot && m.plotBox.clientWidth > 0) m.plot.setSize({ width: m.plotBox.clientWidth, height: HEIGHT });
    }
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    for (const m of this.metrics.values()) if (m.plot) m.plot.destroy();
  }
}

function sortedIndex(list, value) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
