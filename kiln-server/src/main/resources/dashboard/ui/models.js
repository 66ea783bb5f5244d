// The served models: each with its size, module and the training that made it, and a try-it box that sends one
// input through the task's caikit inference route, exactly as a caikit client would.

import { api, describe } from './api.js';
import { fill, h, icon } from './dom.js';
import { bytes, taskRoute } from './format.js';
import { failure } from './widgets.js';

async function lookups() {
  const [info, modules] = await Promise.all([api('/info/models'), api('/info/modules')]);
  const byId = new Map(modules.map((m) => [m.module_id, m]));
  return { models: info.models || [], byId };
}

/** The training that made a model: Kiln names it in the model's metadata. */
function trainingOf(m) {
  return m.metadata && typeof m.metadata.training_id === 'string' ? m.metadata.training_id : null;
}

/** Whether the model is in memory now; caikit's `loaded` says only that it can be loaded. */
const inMemory = (m) => (m.metadata && m.metadata.in_memory ? 'yes' : 'no');

const modelHref = (name) => `#/models/${encodeURIComponent(name)}`;

/** The models page: every model the server serves. */
export async function modelsView(root, ctx) {
  const { models, byId } = await lookups();
  if (!ctx.alive) return;
  const sorted = [...models].sort((a, b) => a.name.localeCompare(b.name));
  fill(root,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Models'),
      h('p', { class: 'lede' }, 'The models this server serves for inference. Pick one to try it.'))),
    sorted.length ? h('section', { class: 'card table-card' }, h('div', { class: 'table-wrap' },
      h('table', { class: 'models', id: 'models' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Model id'), h('th', {}, 'Module'), h('th', {}, 'Size'),
          h('th', {}, 'In memory'), h('th', {}, 'Made by training'))),
        h('tbody', {}, sorted.map((m) => modelRow(m, byId.get(m.module_id)))))))
      : h('div', { class: 'card empty', id: 'models-empty' }, 'This server serves no models yet. A completed training '
        + 'is served under its model name.'));
}

function modelRow(m, module) {
  const training = trainingOf(m);
  return h('tr', { dataset: { model: m.name } },
    h('td', {}, h('a', { href: modelHref(m.name), class: 'mono' }, m.name)),
    h('td', {}, module ? module.name : h('code', {}, m.module_id || '—')),
    h('td', { class: 'num' }, bytes(m.size)),
    h('td', {}, inMemory(m)),
    h('td', {}, training ? h('a', { class: 'mono', href: `#/trainings/${encodeURIComponent(training)}` }, training)
      : h('span', { class: 'muted' }, 'placed in the models directory')));
}

/** One model's page: what it is, and the try-it box. */
export async function modelView(root, ctx) {
  const id = ctx.params[0];
  const { models, byId } = await lookups();
  if (!ctx.alive) return;
  const crumb = h('a', { class: 'back', href: '#/models' }, icon('back'), 'Models');
  const m = models.find((x) => x.name === id);
  if (!m) {
    fill(root, crumb, failure('No such model', `This server serves no model named ${id}.`));
    return;
  }
  const module = byId.get(m.module_id);
  const training = trainingOf(m);
  fill(root, crumb,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, m.name),
      h('p', { class: 'lede' }, module ? h('span', { class: 'badge' }, module.task) : null, ` ${bytes(m.size)}`))),
    h('div', { class: 'module-layout' },
      module ? new TryIt(m, module).element : failure('Cannot try this model', `Its module ${m.module_id} is not on this server.`),
      h('aside', { class: 'card module-facts' },
        h('h2', {}, 'About this model'),
        h('dl', { class: 'facts', id: 'model-facts' },
          h('dt', {}, 'Module'), h('dd', {}, module ? `${module.name} ${module.version}` : m.module_id),
          h('dt', {}, 'Size'), h('dd', {}, bytes(m.size)),
          h('dt', {}, 'In memory'), h('dd', { id: 'model-in-memory' }, inMemory(m)),
          h('dt', {}, 'Path'), h('dd', {}, h('code', {}, m.model_path || '—')),
          h('dt', {}, 'Training'), h('dd', {}, training
            ? h('a', { class: 'mono', href: `#/trainings/${encodeURIComponent(training)}` }, training)
            : 'placed in the models directory')))));
}

/** Sends one input to the model through `POST /api/v1/task/{task}` and shows the answer. */
class TryIt {
  constructor(model, module) {
    this.model = model;
    this.route = taskRoute(module.task);
    this.text = /TextClassification/.test(module.task);
    this.input = this.text
      ? h('textarea', { id: 'try-input', rows: 4, placeholder: 'Text to classify', 'aria-label': 'Text to classify' })
      : h('textarea', { id: 'try-input', rows: 6, class: 'mono', 'aria-label': 'Inputs as JSON',
        placeholder: '{"column": value, ...}' });
    this.output = h('div', { id: 'try-output', 'aria-live': 'polite' });
    this.button = h('button', { class: 'button primary', type: 'submit', id: 'try-run' }, icon('play'), 'Run');
    this.element = h('form', { class: 'card try-it', onsubmit: (e) => { e.preventDefault(); this.run(); } },
      h('h2', {}, 'Try it'),
      h('p', { class: 'muted small' }, 'Sends ', h('code', {}, `POST ${this.route}`), ' with this model id.'),
      this.input, h('div', { class: 'form-actions' }, this.button), this.output);
  }

  inputs() {
    if (this.text) return this.input.value;
    try {
      return JSON.parse(this.input.value);
    } catch {
      throw new Error('The inputs must be a JSON object, such as {"column": 1.5}');
    }
  }

  async run() {
    this.button.disabled = true;
    try {
      const answer = await api(this.route, { method: 'POST',
        body: { model_id: this.model.name, inputs: this.inputs(), parameters: {} } });
      fill(this.output, rendered(answer));
    } catch (e) {
      fill(this.output, h('div', { class: 'gate-error', role: 'alert', id: 'try-error' }, describe(e)));
    } finally {
      this.button.disabled = false;
    }
  }
}

/** A classification as a table of labels and scores, anything else as its JSON. */
function rendered(answer) {
  if (answer && Array.isArray(answer.results) && answer.results.every((r) => 'label' in r && 'score' in r)) {
    return h('table', { class: 'param-table', id: 'try-results' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Label'), h('th', {}, 'Score'))),
      h('tbody', {}, answer.results.map((r) => h('tr', { dataset: { label: r.label } },
        h('td', {}, r.label), h('td', { class: 'num' }, Number(r.score).toFixed(4))))));
  }
  return h('pre', { class: 'mono', id: 'try-results' }, JSON.stringify(answer, null, 2));
}
