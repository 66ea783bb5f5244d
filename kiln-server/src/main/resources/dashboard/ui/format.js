// How times, durations, states and numbers read on the page.

export const STATES = ['QUEUED', 'RUNNING', 'COMPLETED', 'CANCELED', 'ERRORED'];
const TERMINAL = new Set(['COMPLETED', 'CANCELED', 'ERRORED']);
const LABELS = { QUEUED: 'Queued', RUNNING: 'Running', COMPLETED: 'Completed', CANCELED: 'Canceled', ERRORED: 'Errored' };

export const isTerminal = (state) => TERMINAL.has(state);
export const stateLabel = (state) => LABELS[state] || state;
export const shortId = (id) => (id && id.length > 12 ? id.slice(0, 8) : id);

const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A timestamp in full, in the reader's time zone. */
export function dateTime(iso) {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

/** A timestamp's date only. */
export function dateOnly(iso) {
  return iso ? DATE.format(new Date(iso)) : '—';
}

/** A timestamp's time of day only. */
export function timeOfDay(iso) {
  return iso ? TIME.format(new Date(iso)) : '—';
}

/** How long ago a timestamp was: "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${Math.floor(s)} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A duration in milliseconds: "0.4 s", "12 s", "3 m 04 s", "1 h 02 m", "2 d 3 h". */
export function duration(ms) {
  if (ms == null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const pad = (n) => String(Math.floor(n)).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} m ${pad(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${pad((s % 3600) / 60)} m`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Milliseconds between two timestamps, the second defaulting to now. */
export function between(fromIso, toIso, now = Date.now()) {
  if (!fromIso) return null;
  return (toIso ? Date.parse(toIso) : now) - Date.parse(fromIso);
}

/** A metric value with four significant digits, or scientific notation when very large or small. */
export function metric(value) {
  if (value == null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString(undefined, { maximumFractionDigits: 4 });
}

/** Orders metric names: losses first, then by name, so charts and chips always read the same way. */
export function byMetricName(a, b) {
  const la = /loss/i.test(a) ? 0 : 1;
  const lb = /loss/i.test(b) ? 0 : 1;
  return la - lb || a.localeCompare(b);
}

/** How far a training is, 0..1, or null when unknown. */
export function fraction(training) {
  const p = training.progress;
  if (training.state === 'COMPLETED') return 1;
  if (!p || !(p.total > 0)) return null;
  return Math.min(1, Math.max(0, p.step / p.total));
}

const RANK = { QUEUED: 0, RUNNING: 1, COMPLETED: 2, CANCELED: 2, ERRORED: 2 };

/**
 * Whether snapshot `b` of a training is not older than `a`: events and fetched pages can arrive out of order, and
 * a page must never step back from a state or a progress step it has already shown.
 */
export function isNewer(a, b) {
  if (!a) return true;
  if (RANK[b.state] !== RANK[a.state]) return RANK[b.state] > RANK[a.state];
  if (isTerminal(a.state)) return true;
  return (b.progress ? b.progress.step : -1) >= (a.progress ? a.progress.step : -1);
}

/** A size in bytes as B, KiB, MiB or GiB; a dash when unknown. */
export function bytes(n) {
  if (n == null || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** caikit's inference route for a task class name: TextClassificationTask → /api/v1/task/text-classification. */
export function taskRoute(task) {
  const kebab = task.replace(/Task$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return `/api/v1/task/${kebab}`;
}
