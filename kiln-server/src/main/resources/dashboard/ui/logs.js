// A training's log, following as it grows: re-read while the training runs, scrolled to the end while "Follow"
// is on (scrolling up turns it off; scrolling back to the end turns it on again).

import { api } from './api.js';
import { h } from './dom.js';

const TAIL_LINES = 2000;

/** The log panel of one training. */
export class LogFollower {
  constructor(trainingId) {
    this.path = `/management/trainings/${encodeURIComponent(trainingId)}/logs?tail=${TAIL_LINES}`;
    this.text = null;
    this.finished = false;
    this.busy = false;
    this.again = false;
    this.pre = h('pre', { class: 'log', id: 'training-log', tabindex: '0' }, 'Reading the log…');
    this.follow = h('input', { type: 'checkbox', checked: true, id: 'log-follow' });
    this.lines = h('span', { class: 'muted small', id: 'log-lines' });
    this.pre.addEventListener('scroll', () => {
      const atEnd = this.pre.scrollHeight - this.pre.scrollTop - this.pre.clientHeight < 8;
      this.follow.checked = atEnd;
    });
    this.follow.addEventListener('change', () => this.follow.checked && this.scrollToEnd());
    this.element = h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Log'), this.lines,
        h('label', { class: 'toggle' }, this.follow, h('span', {}, 'Follow'))),
      this.pre);
  }

  /** Re-reads the log; overlapping calls fold into one more read. */
  async refresh() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      const text = await api(this.path, { as: 'text' });
      if (text !== this.text) {
        this.text = text;
        this.pre.textContent = text || this.emptyText();
        this.pre.classList.toggle('log-empty', !text);
        const n = text ? text.split('\n').filter((l) => l.length).length : 0;
        this.lines.textContent = n >= TAIL_LINES ? `last ${n} lines` : n ? `${n} line${n === 1 ? '' : 's'}` : '';
        if (this.follow.checked) this.scrollToEnd();
      }
    } catch {
      // kept as it was; the next read may succeed
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }

  /** Says whether the training ended: an empty log then means none was captured, not none yet. */
  setFinished(finished) {
    this.finished = finished;
    if (this.text === '') this.pre.textContent = this.emptyText();
  }

  emptyText() {
    return this.finished ? 'No log output was captured for this training.' : 'No log lines yet.';
  }

  scrollToEnd() {
    this.pre.scrollTop = this.pre.scrollHeight;
  }
}
