// The trainings page: load at a glance, and the table of trainings (newest first, filtered by state), kept
// current from the server's event stream.

import { api } from './api.js';
import { fill, h, icon } from './dom.js';
import { ago, between, dateTime, duration, isNewer, shortId, STATES, stateLabel } from './format.js';
import { statCards } from './load.js';
import { progressBar, statePill } from './widgets.js';

const PAGE = 50;

/** Renders the page into `root`. */
export async function trainingsView(root, ctx) {
  const state = STATES.includes((ctx.query.get('state') || '').toUpperCase()) ? ctx.query.get('state').toUpperCase() : null;
  let limit = PAGE;
  let total = 0;
  const rows = new Map();

  const stats = h('section', { class: 'stats', 'aria-label': 'Trainings by state' });
  const body = h('tbody', { id: 'trainings-rows' });
  const caption = h('span', { class: 'table-caption', id: 'trainings-count' });
  const empty = h('div', { class: 'empty', hidden: true });
  const more = h('button', { class: 'button subtle more', type: 'button', hidden: true,
    onclick: () => { limit += PAGE; reload(); } }, 'Show more');

  fill(root,
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Trainings'),
        h('p', { class: 'lede' }, 'Every training this server holds, updating as it runs.')),
      h('a', { class: 'button primary', href: '#/modules' }, icon('play'), 'Start a training')),
    stats,
    h('section', { class: 'card table-card' },
      h('div', { class: 'table-toolbar' },
        h('div', { class: 'filter', role: 'group', 'aria-label': 'Filter by state' },
          h('a', { class: ['chip', !state && 'active'], href: '#/' }, 'All'),
          STATES.map((s) => h('a', { class: ['chip', `chip-${s.toLowerCase()}`, state === s && 'active'],
            href: `#/?state=${s}`, dataset: { filter: s } }, stateLabel(s)))),
        caption),
      h('div', { class: 'table-wrap' },
        h('table', { class: 'trainings', id: 'trainings' },
          h('thead', {}, h('tr', {},
            h('th', {}, 'Training'), h('th', {}, 'Module'), h('th', { class: 'col-model' }, 'Model name'),
            h('th', {}, 'State'), h('th', { class: 'col-priority', title: 'Higher starts first' }, 'Priority'),
            h('th', { class: 'col-progress' }, 'Progress'),
            h('th', { class: 'col-submitted' }, 'Submitted'), h('th', { class: 'col-duration' }, 'Duration'))),
          body)),
      empty, more));

  const showStats = (summary) => summary && fill(stats, statCards(summary, state));
  showStats(ctx.load.current);
  ctx.on('summary', showStats);

  function row(t) {
    const open = () => { location.hash = `#/trainings/${encodeURIComponent(t.training_id)}`; };
    return h('tr', { dataset: { id: t.training_id, state: t.state }, onclick: (e) => { if (!e.target.closest('a')) open(); } },
      h('td', { class: 'col-id' }, h('a', { class: 'mono', href: `#/trainings/${encodeURIComponent(t.training_id)}`, title: t.training_id },
        shortId(t.training_id))),
      h('td', { class: 'col-module' }, h('span', { class: 'module-name' }, t.module.name),
        h('span', { class: 'muted small' }, ` ${t.module.version}`)),
      h('td', { class: 'col-model' }, t.model_name || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'col-state' }, statePill(t.state)),
      h('td', { class: 'col-priority num' }, String(t.priority ?? 0)),
      h('td', { class: 'col-progress' }, progressBar(t)),
      h('td', { class: 'col-submitted', title: dateTime(t.submission_timestamp) },
        h('span', { dataset: { ago: t.submission_timestamp } }, ago(t.submission_timestamp))),
      h('td', { class: 'col-duration' }, durationCell(t)));
  }

  // the total is re-read shortly after rows come or go, since an event cannot tell whether the server's count of
  // matching trainings already included it
  let recount = 0;
  function recountSoon() {
    clearTimeout(recount);
    recount = setTimeout(() => ctx.alive && reload().catch(() => {}), 800);
  }

  function put(t) {
    const known = rows.get(t.training_id);
    if (known && !isNewer(known.training, t)) return;
    if (state && t.state !== state) {
      if (known) {
        known.tr.remove();
        rows.delete(t.training_id);
        total = Math.max(0, total - 1);
        showCount();
        recountSoon();
      }
      return;
    }
    const shown = [...body.children].map((tr) => rows.get(tr.dataset.id)).filter(Boolean);
    if (!known && rows.size < total && shown.length && newestFirst(shown[shown.length - 1].training, t) < 0) {
      return; // older than every row shown: it belongs to a page not shown
    }
    const tr = row(t);
    if (known) {
      known.tr.replaceWith(tr);
    } else {
      const after = shown.find((r) => newestFirst(r.training, t) > 0);
      body.insertBefore(tr, after ? after.tr : null);
      total += 1;
      recountSoon();
    }
    rows.set(t.training_id, { tr, training: t });
    showCount();
  }

  function showCount() {
    const shown = rows.size;
    caption.textContent = shown === total ? `${total} training${total === 1 ? '' : 's'}` : `${shown} of ${total}`;
    more.hidden = shown >= total;
    empty.hidden = shown > 0;
    fill(empty, state
      ? `No ${stateLabel(state).toLowerCase()} trainings.`
      : ['No trainings yet. ', h('a', { href: '#/modules' }, 'Start one from a module'), '.']);
  }

  async function reload() {
    const q = new URLSearchParams({ limit: String(limit) });
    if (state) q.set('state', state);
    const page = await api(`/management/trainings?${q}`);
    if (!ctx.alive) return;
    const fresh = new Map(page.trainings.map((t) => [t.training_id, t]));
    for (const [id, r] of rows) {
      if (!fresh.has(id)) { r.tr.remove(); rows.delete(id); }
    }
    total = page.total;
    for (const t of page.trainings) {
      const known = rows.get(t.training_id);
      if (known) {
        if (isNewer(known.training, t)) {
          const tr = row(t);
          known.tr.replaceWith(tr);
          rows.set(t.training_id, { tr, training: t });
        }
      } else {
        const tr = row(t);
        body.append(tr);
        rows.set(t.training_id, { tr, training: t });
      }
    }
    [...rows.values()].sort((a, b) => newestFirst(a.training, b.training)).forEach((r) => body.append(r.tr));
    showCount();
  }

  // a burst of progress reports redraws each row once per frame
  let pending = new Map();
  ctx.on('training', ({ training }) => {
    if (!pending.size) {
      requestAnimationFrame(() => {
        const batch = pending;
        pending = new Map();
        if (ctx.alive) batch.forEach(put);
      });
    }
    const queued = pending.get(training.training_id);
    if (!queued || isNewer(queued, training)) pending.set(training.training_id, training);
  });
  ctx.on('resync', () => reload().catch(() => {}));
  ctx.onLeave(() => clearTimeout(recount));
  ctx.every(1000, () => {
    const now = Date.now();
    body.querySelectorAll('[data-ago]').forEach((el) => { el.textContent = ago(el.dataset.ago, now); });
    for (const r of rows.values()) {
      if (r.training.state === 'RUNNING' || r.training.state === 'QUEUED') {
        r.tr.querySelector('.col-duration').replaceChildren(durationCell(r.training, now));
      }
    }
  });
  await reload();
}

/** Orders trainings newest first by submission time. */
function newestFirst(a, b) {
  return Date.parse(b.submission_timestamp) - Date.parse(a.submission_timestamp)
    || (a.submission_timestamp < b.submission_timestamp ? 1 : -1);
}

/** Running: time since start; finished: how long it ran; queued: how long it has waited. */
function durationCell(t, now = Date.now()) {
  if (t.start_timestamp) return duration(between(t.start_timestamp, t.completion_timestamp, now));
  if (t.state === 'QUEUED') return h('span', { class: 'muted' }, `waiting ${duration(between(t.submission_timestamp, null, now))}`);
  return h('span', { class: 'muted' }, '—');
}
