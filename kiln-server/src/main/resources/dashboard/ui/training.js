// One training: state and progress, errors with their stacks, a live chart per metric, the timeline, where the
// model is saved, the parameters it was given, and its log; with Cancel while it is unfinished.

import { api, ApiError, describe } from './api.js';
import { MetricCharts } from './charts.js';
import { fill, h, icon, toast } from './dom.js';
import { between, byMetricName, dateOnly, dateTime, duration, isNewer, isTerminal, metric, stateLabel, timeOfDay } from './format.js';
import { LogFollower } from './logs.js';
import { confirmDialog, copyButton, failure, progressBar, statePill } from './widgets.js';

const LOG_POLL_MS = 1500;

/** Renders the page into `root`. */
export async function trainingView(root, ctx) {
  const id = ctx.params[0];
  const base = `/management/trainings/${encodeURIComponent(id)}`;
  let detail;
  try {
    detail = await api(base);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      fill(root, back(), failure('No such training', e.message));
      return;
    }
    throw e;
  }
  if (!ctx.alive) return;

  const head = h('div', { class: 'training-head' });
  const progress = h('section', { class: 'card progress-card', id: 'training-progress' });
  const errors = h('div', { id: 'training-errors' });
  const chartBox = h('div', { class: 'charts', id: 'charts' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  const facts = h('dl', { class: 'facts' });
  const params = h('div', { id: 'parameters' });
  const log = new LogFollower(id);
  log.setFinished(isTerminal(detail.state));
  const charts = new MetricCharts(chartBox, { finished: isTerminal(detail.state) });
  ctx.onLeave(() => charts.destroy());

  fill(root, back(), head, progress, errors,
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Metrics'),
      h('span', { class: 'muted small' }, 'per step, live')), chartBox),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Timeline'), timeline),
      h('section', { class: 'card' }, h('h2', {}, 'Details'), facts)),
    h('section', { class: 'card' }, h('h2', {}, 'Parameters'), params),
    log.element);

  let cancelling = false;
  let shown = '';
  // the id this training's model is served under: its name, unless a newer training of that name took it over
  let servedAs = null;

  async function findServed() {
    if (detail.state !== 'COMPLETED' || !detail.model_name || servedAs) return;
    const info = await api('/info/models');
    if (!ctx.alive) return;
    const models = info.models || [];
    const named = models.find((m) => m.name === detail.model_name);
    const own = `${id}/${detail.model_name}`;
    if (named && named.metadata && named.metadata.training_id !== id && models.some((m) => m.name === own)) {
      servedAs = own;
      render();
    }
  }

  function render() {
    const t = detail;
    const running = !isTerminal(t.state);
    // the head and the parameters change only with the state: re-drawing them on every progress report would
    // replace the Cancel button under the pointer
    const key = `${t.state}|${cancelling}|${t.start_timestamp}|${t.completion_timestamp}|${t.save_path}`;
    const stable = key === shown;
    shown = key;
    if (!stable) fill(head,
      h('div', { class: 'training-title' },
        h('h1', {}, t.model_name || t.module.name),
        h('div', { class: 'training-sub' },
          h('span', {}, h('a', { href: `#/modules/${encodeURIComponent(t.module.name)}` }, t.module.name), ` ${t.module.version}`),
          h('span', { class: 'sep' }, '·'), h('span', {}, t.module.task),
          h('span', { class: 'sep' }, '·'), h('span', { class: 'mono', id: 'training-id' }, t.training_id),
          copyButton(t.training_id, 'Training id copied'))),
      h('div', { class: 'training-actions' },
        statePill(t.state, true),
        running ? h('button', { class: 'button danger', id: 'cancel-training', type: 'button', disabled: cancelling,
          onclick: cancel }, icon('stop'), cancelling ? 'Canceling…' : 'Cancel training') : null));

    const latest = t.progress;
    fill(progress,
      h('div', { class: 'progress-head' },
        h('span', { class: 'progress-title' }, progressTitle(t)),
        latest && latest.metrics ? h('span', { class: 'metric-chips' },
          Object.entries(latest.metrics).sort(([a], [b]) => byMetricName(a, b)).map(([k, v]) => h('span', { class: 'metric-chip' },
            h('span', { class: 'muted' }, k), ' ', metric(v)))) : null),
      progressBar(t, { large: true }));

    fill(errors, t.errors && t.errors.length ? h('section', { class: 'card errors', id: 'errors' },
      h('h2', {}, icon('alert'), t.errors.length === 1 ? 'Error' : `Errors (${t.errors.length})`),
      t.errors.map((e) => h('div', { class: 'error-item' },
        h('div', { class: 'error-line' }, h('span', { class: 'badge' }, e.kind), h('code', {}, e.type)),
        h('p', { class: 'error-message' }, e.message),
        e.stack_text ? h('details', { class: 'stack' }, h('summary', {}, 'Stack trace'), h('pre', {}, e.stack_text)) : null)))
      : t.reasons && t.reasons.length ? h('section', { class: 'card errors' }, h('h2', {}, 'Reasons'),
        t.reasons.map((r) => h('p', { class: 'error-message' }, r))) : null);

    const end = t.completion_timestamp;
    const step = (cls, label, iso, note, data) => h('li', { class: ['tl-step', cls, !iso && 'tl-pending'], dataset: data || {} },
      h('span', { class: 'tl-dot' }), h('div', {}, h('div', { class: 'tl-label' }, label),
        h('div', { class: 'tl-time', title: iso ? dateTime(iso) : '' }, iso ? timeOfDay(iso) : 'not yet'),
        note ? h('div', { class: 'tl-note muted' }, note) : null));
    fill(timeline,
      step('tl-done', 'Submitted', t.submission_timestamp, dateOnly(t.submission_timestamp)),
      step(t.start_timestamp ? 'tl-done' : '', 'Started', t.start_timestamp,
        t.start_timestamp ? `after ${duration(between(t.submission_timestamp, t.start_timestamp))} in the queue`
          : t.state === 'QUEUED' ? 'waiting for a slot' : isTerminal(t.state) ? 'never started' : null),
      ...(t.attempts && t.attempts.length > 1 ? t.attempts.map((a) => step(
        a.ended ? `tl-${a.outcome === 'RETRIED' ? 'errored' : a.outcome.toLowerCase()}` : '',
        `Attempt ${a.number}`, a.started,
        `${a.outcome.toLowerCase()}${a.ended ? ` after ${duration(between(a.started, a.ended))}` : ''}`
          + (a.error ? ` — ${a.error.kind}: ${a.error.message}` : ''),
        { attempt: String(a.number), outcome: a.outcome })) : []),
      step(end ? `tl-${t.state.toLowerCase()}` : '', end ? stateLabel(t.state) : 'Finished', end,
        end && t.start_timestamp ? `ran for ${duration(between(t.start_timestamp, end))}`
          : !end && t.start_timestamp ? h('span', { dataset: { runningSince: t.start_timestamp } },
            `running for ${duration(between(t.start_timestamp, null))}`) : null));

    const fact = (k, v) => [h('dt', {}, k), h('dd', {}, v)];
    fill(facts,
      fact('Save path', t.save_path ? h('div', {}, h('span', { class: 'path' }, h('code', { id: 'save-path' }, t.save_path),
        copyButton(t.save_path, 'Save path copied')),
      t.state === 'CANCELED' || t.state === 'ERRORED' ? h('div', { class: 'muted small' }, 'Nothing was saved there: the training did not complete.')
        : t.state !== 'COMPLETED' ? h('div', { class: 'muted small' }, 'The model is saved there when the training completes.') : null)
        : h('span', { class: 'muted' }, 'none')),
      t.state === 'COMPLETED' && t.model_name ? fact('Served as', h('a', { id: 'served-model',
        href: `#/models/${encodeURIComponent(servedAs || t.model_name)}` }, servedAs || t.model_name, ' — try it')) : null,
      fact('Trainer', t.trainer),
      fact('Module id', h('code', {}, t.module.module_id)),
      fact('Held by trainer', t.live ? 'yes' : 'no — known from the journal'));

    if (!stable) fill(params, parameterTable(t.parameters));
  }

  let frame = 0;
  function renderSoon() {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (ctx.alive) render();
      });
    }
  }

  async function cancel() {
    const yes = await confirmDialog({
      title: 'Cancel this training?',
      message: `${detail.model_name || detail.training_id} stops at its next cancellation point; nothing is saved.`,
      confirm: 'Cancel training', dismiss: 'Keep running', danger: true,
    });
    if (!yes || !ctx.alive) return;
    cancelling = true;
    render();
    try {
      const status = await api(`/management/trainings?training_id=${encodeURIComponent(id)}`, { method: 'DELETE' });
      toast(`Training ${stateLabel(status.state).toLowerCase()}`);
      await reread();
    } catch (e) {
      toast(describe(e), 'error');
    } finally {
      cancelling = false;
      if (ctx.alive) render();
    }
  }

  async function reread() {
    const fresh = await api(base);
    if (!ctx.alive) return;
    if (isNewer(detail, fresh) || isTerminal(fresh.state)) detail = fresh;
    charts.setFinished(isTerminal(detail.state));
    log.setFinished(isTerminal(detail.state));
    render();
    findServed().catch(() => {});
  }

  async function readHistory() {
    const history = await api(`${base}/progress`);
    if (!ctx.alive) return;
    for (const p of history.points) charts.add(p.step, p.metrics);
  }

  ctx.on('training', ({ type, training }) => {
    if (training.training_id !== id) return;
    if (training.progress) charts.add(training.progress.step, training.progress.metrics);
    if (type === 'state') {
      reread().catch(() => {});
      log.refresh();
    } else if (isNewer(detail, training)) {
      detail = { ...detail, ...training };
      renderSoon();
    }
  });
  ctx.on('resync', () => { reread().catch(() => {}); readHistory().catch(() => {}); });
  ctx.every(LOG_POLL_MS, () => { if (!isTerminal(detail.state)) log.refresh(); });
  ctx.every(1000, () => {
    root.querySelectorAll('[data-running-since]').forEach((el) => {
      el.textContent = `running for ${duration(between(el.dataset.runningSince, null))}`;
    });
  });

  render();
  findServed().catch(() => {});
  log.refresh();
  await readHistory();
  if (detail.progress) charts.add(detail.progress.step, detail.progress.metrics);
}

function back() {
  return h('a', { class: 'back', href: '#/' }, icon('back'), 'Trainings');
}

function progressTitle(t) {
  const p = t.progress;
  switch (t.state) {
    case 'QUEUED': return 'Waiting for a free slot';
    case 'RUNNING': return p ? (p.total > 0 ? `Step ${p.step} of ${p.total}` : `Step ${p.step}`) : 'Started, no progress reported yet';
    case 'COMPLETED': return p && p.total > 0 ? `Finished all ${p.total} steps` : 'Finished';
    case 'CANCELED': return p ? `Canceled at step ${p.step}${p.total > 0 ? ` of ${p.total}` : ''}` : 'Canceled';
    default: return p ? `Failed at step ${p.step}${p.total > 0 ? ` of ${p.total}` : ''}` : 'Failed';
  }
}

/** The parameters as submitted: data streams as their file names, everything else as its JSON. */
function parameterTable(parameters) {
  if (!parameters || typeof parameters !== 'object') {
    return h('p', { class: 'muted' }, 'This training was not submitted through this server, so its parameters are unknown.');
  }
  const entries = Object.entries(parameters);
  if (!entries.length) return h('p', { class: 'muted' }, 'No parameters.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'kv' }, h('tbody', {},
    entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, h('code', {}, k)), h('td', {}, valueOf(v)))))));
}

function valueOf(v) {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, 'not set');
  const stream = v && typeof v === 'object' ? (v.data_stream || v) : null;
  if (stream && stream.file && stream.file.filename) return h('span', {}, h('span', { class: 'badge' }, 'file'), ' ', h('code', {}, stream.file.filename));
  if (stream && stream.directory) return h('span', {}, h('span', { class: 'badge' }, 'directory'), ' ', h('code', {}, `${stream.directory.dirname} (*.${stream.directory.extension})`));
  if (stream && stream.list_of_files) return h('span', {}, h('span', { class: 'badge' }, 'files'), ' ', h('code', {}, stream.list_of_files.files.join(', ')));
  if (stream && Array.isArray(stream.data)) return h('span', {}, h('span', { class: 'badge' }, 'inline'), ` ${stream.data.length} records`);
  if (typeof v === 'object') return h('code', { class: 'json' }, JSON.stringify(v));
  return h('code', {}, String(v));
}
