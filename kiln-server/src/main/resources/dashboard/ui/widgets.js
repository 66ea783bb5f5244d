// Small pieces shared by the pages: the state pill, the progress bar, the confirmation dialog, copy buttons.

import { h, icon, toast } from './dom.js';
import { fraction, stateLabel } from './format.js';

/** A coloured pill naming a training's state. */
export function statePill(state, large = false) {
  return h('span', { class: ['state', `state-${state.toLowerCase()}`, large && 'state-large'], dataset: { state } },
    h('span', { class: 'state-dot', 'aria-hidden': 'true' }), stateLabel(state));
}

/** A progress bar with "step / total" beside it; striped while the total is unknown. */
export function progressBar(training, { large = false } = {}) {
  const f = fraction(training);
  const p = training.progress;
  const pct = f == null ? null : Math.round(f * 1000) / 10;
  const label = p && p.total > 0 ? `${p.step} / ${p.total}`
    : p ? `step ${p.step}`
      : training.state === 'COMPLETED' ? 'done' : training.state === 'QUEUED' ? 'waiting'
        : training.state === 'RUNNING' ? 'started' : '—';
  const bar = h('div', {
    class: ['progress', `progress-${training.state.toLowerCase()}`, f == null && p && 'progress-unknown', large && 'progress-large'],
    role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct ?? undefined,
    'aria-label': 'Progress',
    dataset: { step: p ? p.step : 0, total: p ? p.total : 0 },
  }, h('div', { class: 'progress-fill', style: { width: `${f == null ? (p ? 100 : 0) : f * 100}%` } }));
  return h('div', { class: 'progress-cell' }, bar,
    h('span', { class: 'progress-text' }, label, large && pct != null ? h('span', { class: 'muted' }, ` · ${pct}%`) : null));
}

/** A button that copies `text` to the clipboard. */
export function copyButton(text, what = 'Copied') {
  return h('button', {
    class: 'icon-button', type: 'button', title: 'Copy', 'aria-label': 'Copy',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        toast(`${what} to the clipboard`);
      } catch {
        toast('The browser did not allow copying', 'error');
      }
    },
  }, icon('copy'));
}

/**
 * Asks a yes/no question in a modal dialog; resolves true when confirmed.
 * The dialog is the page's own, so it looks like the rest of the page and tests can drive it.
 */
export function confirmDialog({ title, message, confirm, dismiss = 'Back', danger = false }) {
  const dialog = document.getElementById('confirm');
  dialog.querySelector('.dialog-title').textContent = title;
  dialog.querySelector('.dialog-message').textContent = message;
  const yes = dialog.querySelector('[data-answer="yes"]');
  const no = dialog.querySelector('[data-answer="no"]');
  yes.textContent = confirm;
  yes.className = danger ? 'button danger' : 'button primary';
  no.textContent = dismiss;
  return new Promise((resolve) => {
    const done = (answer) => {
      yes.onclick = null;
      no.onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    yes.onclick = () => done(true);
    no.onclick = () => done(false);
    // close() fires its event a task later: one that arrives while the dialog is open again is an earlier answer's.
    dialog.onclose = () => { if (!dialog.open) done(false); };
    dialog.showModal();
    no.focus();
  });
}

/** A panel saying a page could not be shown, with the reason. */
export function failure(title, reason) {
  return h('div', { class: 'card notice notice-error', role: 'alert' },
    icon('alert', 'icon notice-icon'), h('div', {}, h('strong', {}, title), h('p', {}, reason)));
}
