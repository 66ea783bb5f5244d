// The load at a glance: trainings by state and the queue against the trainers' max_concurrent_jobs, read from
// GET /management/summary and re-read whenever a training changes state.

import { api } from './api.js';
import { h, fill } from './dom.js';
import { STATES, stateLabel } from './format.js';

const REFRESH_DELAY_MS = 200;

/** Keeps the latest summary and tells the bus ("summary") when it changes. */
export class Load {
  constructor(bus) {
    this.bus = bus;
    this.current = null;
    this.timer = null;
  }

  /** Reads the summary now. Throws what the call throws. */
  async refresh() {
    this.current = await api('/management/summary');
    this.bus.dispatchEvent(new CustomEvent('summary', { detail: this.current }));
    return this.current;
  }

  /** Reads the summary shortly, once for a burst of state changes. */
  soon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh().catch(() => {}), REFRESH_DELAY_MS);
  }
}

/** Running, queued and the slot limit (null when some trainer has none). */
export function capacity(summary) {
  const count = (s) => Number(summary.counts[s] || 0);
  const limits = summary.trainers.map((t) => t.max_concurrent_jobs);
  const max = limits.length && limits.every((m) => m != null) ? limits.reduce((a, b) => a + b, 0) : null;
  return { running: count('RUNNING'), queued: Number(summary.queue_length ?? count('QUEUED')), max };
}

/** The header's one-line view: running against slots, and the queue. */
export function renderGlance(el, summary) {
  const c = capacity(summary);
  fill(el,
    h('span', { class: 'glance-item', title: 'Trainings running, against the trainers\' max_concurrent_jobs' },
      h('span', { class: ['glance-dot', c.running > 0 && 'glance-busy'] }),
      h('strong', { id: 'glance-running' }, c.running), c.max != null ? ` / ${c.max}` : '', ' running'),
    h('span', { class: 'glance-item', title: 'Trainings waiting for a slot' },
      h('strong', { id: 'glance-queued' }, c.queued), ' queued'));
}

/** The stat cards atop the trainings page; each filters the table by its state. */
export function statCards(summary, selected) {
  const c = capacity(summary);
  const total = STATES.reduce((n, s) => n + Number(summary.counts[s] || 0), 0);
  const card = (state, count, sub, extra) => h('a', {
    class: ['stat', state ? `stat-${state.toLowerCase()}` : 'stat-all', (selected || null) === state && 'selected'],
    href: state ? `#/?state=${state}` : '#/', id: `stat-${state || 'ALL'}`, dataset: { count },
    'aria-current': (selected || null) === state ? 'true' : undefined,
  }, h('span', { class: 'stat-label' }, state ? stateLabel(state) : 'All trainings'),
  h('span', { class: 'stat-value' }, count), h('span', { class: 'stat-sub' }, sub), extra);
  const slots = c.max != null
    ? h('div', { class: 'meter', title: `${c.running} of ${c.max} slots busy` },
      h('div', { class: 'meter-fill', style: { width: `${Math.min(100, (c.running / Math.max(1, c.max)) * 100)}%` } }))
    : null;
  return [
    card(null, total, 'retained by the server'),
    card('RUNNING', c.running, c.max != null ? `of ${c.max} slot${c.max === 1 ? '' : 's'} busy` : 'no slot limit', slots),
    card('QUEUED', c.queued, c.queued ? 'waiting for a slot' : 'queue is empty'),
    card('COMPLETED', Number(summary.counts.COMPLETED || 0), 'models saved'),
    card('CANCELED', Number(summary.counts.CANCELED || 0), 'stopped on request'),
    card('ERRORED', Number(summary.counts.ERRORED || 0), 'failed with an error'),
  ];
}
