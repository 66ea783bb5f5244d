// The modules: each with its task, version and parameters, and a form that starts a training through the
// module's caikit training route.

import { api, ApiError, describe } from './api.js';
import { fill, h, icon, toast } from './dom.js';
import { failure } from './widgets.js';

let cache = null;

async function modules() {
  if (!cache) cache = api('/info/modules').catch((e) => { cache = null; throw e; });
  return cache;
}

/** The modules page. */
export async function modulesView(root, ctx) {
  const list = await modules();
  if (!ctx.alive) return;
  fill(root,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Modules'),
      h('p', { class: 'lede' }, 'What this server can train. Pick one to start a training.'))),
    list.length ? h('div', { class: 'module-grid' }, list.map(moduleCard))
      : h('div', { class: 'card empty' }, 'This server has no modules. Modules are found on its class path.'));
}

function moduleCard(m) {
  const href = `#/modules/${encodeURIComponent(m.name)}`;
  return h('article', { class: 'card module-card', dataset: { module: m.name } },
    h('div', { class: 'module-card-head' },
      h('div', {}, h('h2', {}, h('a', { href }, m.name)),
        h('div', { class: 'muted small' }, h('span', { class: 'badge' }, m.task), ` version ${m.version}`)),
      h('a', { class: 'button primary small', href }, icon('play'), 'Train')),
    m.parameters.length ? h('table', { class: 'param-table compact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Parameter'), h('th', {}, 'Type'), h('th', {}, 'Default'))),
      h('tbody', {}, m.parameters.map((p) => h('tr', {},
        h('td', {}, h('code', {}, p.name), p.required ? h('span', { class: 'required', title: 'required' }, '*') : null),
        h('td', {}, h('span', { class: `type type-${p.type}` }, p.type)),
        h('td', {}, defaultText(p))))))
      : h('p', { class: 'muted' }, 'No parameters.'));
}

function defaultText(p) {
  return p.default_value == null ? h('span', { class: 'muted' }, '—') : h('code', {}, JSON.stringify(p.default_value));
}

/** One module's page: what it is, and the form that starts a training. */
export async function moduleView(root, ctx) {
  const ref = ctx.params[0];
  const list = await modules();
  if (!ctx.alive) return;
  const m = list.find((x) => x.name === ref || x.module_id === ref);
  const crumb = h('a', { class: 'back', href: '#/modules' }, icon('back'), 'Modules');
  if (!m) {
    fill(root, crumb, failure('No such module', `This server has no module named ${ref}.`));
    return;
  }
  const form = new TrainForm(m, ctx);
  fill(root, crumb,
    h('div', { class: 'page-head' }, h('div', {},
      h('h1', {}, m.name),
      h('p', { class: 'lede' }, h('span', { class: 'badge' }, m.task), ` version ${m.version} · `, h('code', {}, m.module_class)))),
    h('div', { class: 'module-layout' },
      form.element,
      h('aside', { class: 'card module-facts' },
        h('h2', {}, 'About this module'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Task'), h('dd', {}, m.task),
          h('dt', {}, 'Version'), h('dd', {}, m.version),
          h('dt', {}, 'Module id'), h('dd', {}, h('code', {}, m.module_id)),
          h('dt', {}, 'Training route'), h('dd', {}, h('code', {}, `POST ${m.train_route}`))),
        h('p', { class: 'muted small' }, 'The form sends the same request a client sends to the training route, so the'
          + ' server checks it the same way.'))));
}

/** The form of one module: model name and every parameter, checked as the server checks them, then submitted. */
class TrainForm {
  constructor(module, ctx) {
    this.module = module;
    this.ctx = ctx;
    this.fields = module.parameters.map((p) => new ParamField(p));
    this.modelName = h('input', { id: 'model-name', name: 'model_name', type: 'text', autocomplete: 'off',
      placeholder: 'e.g. my-classifier', required: true, spellcheck: 'false' });
    this.modelError = h('div', { class: 'field-error', id: 'model-name-error' });
    this.refusal = h('div', { class: 'form-error', id: 'form-error', role: 'alert', hidden: true });
    this.submit = h('button', { class: 'button primary', type: 'submit', id: 'start-training' }, icon('play'), 'Start training');
    this.element = h('form', { class: 'card train-form', id: 'train-form', novalidate: true,
      onsubmit: (e) => { e.preventDefault(); this.send(); } },
    h('h2', {}, 'Start a training'),
    h('div', { class: 'field' },
      h('label', { for: 'model-name' }, 'Model name', h('span', { class: 'required' }, '*')),
      this.modelName,
      h('div', { class: 'hint' }, 'Names the saved model: one path segment, appended to the save path.'),
      this.modelError),
    this.fields.length ? h('fieldset', {}, h('legend', {}, 'Parameters'), this.fields.map((f) => f.element)) : null,
    this.refusal,
    h('div', { class: 'form-actions' }, this.submit,
      h('button', { class: 'button subtle', type: 'button', onclick: () => this.reset() }, 'Reset to defaults')));
  }

  reset() {
    this.fields.forEach((f) => f.reset());
    this.modelError.textContent = '';
    this.modelName.classList.remove('invalid');
    this.refusal.hidden = true;
  }

  /** The request body, or null after marking the fields at fault. */
  request() {
    let ok = true;
    const name = this.modelName.value.trim();
    const nameError = !name ? 'Give the model a name.'
      : /[/\\\0]/.test(name) || name === '.' || name === '..' ? `Invalid model_name '${name}': it must be a single non-empty path segment.`
        : '';
    this.modelError.textContent = nameError;
    this.modelName.classList.toggle('invalid', !!nameError);
    if (nameError) ok = false;
    const parameters = {};
    for (const f of this.fields) {
      const r = f.read();
      if (r.error) ok = false;
      else if (r.value !== undefined) parameters[f.param.name] = r.value;
    }
    return ok ? { model_name: name, parameters } : null;
  }

  async send() {
    this.refusal.hidden = true;
    this.fields.forEach((f) => f.mark(''));
    const body = this.request();
    if (!body) {
      const first = this.element.querySelector('.invalid');
      if (first) first.focus();
      return;
    }
    this.submit.disabled = true;
    try {
      const answer = await api(this.module.train_route, { method: 'POST', body });
      toast(`Training ${answer.training_id.slice(0, 8)} submitted`);
      location.hash = `#/trainings/${encodeURIComponent(answer.training_id)}`;
    } catch (e) {
      if (!this.ctx.alive) return;
      fill(this.refusal, icon('alert', 'icon notice-icon'),
        h('div', {}, h('strong', {}, 'The server refused this training'),
          h('p', { id: 'form-error-details' }, describe(e)),
          e instanceof ApiError ? h('p', { class: 'muted small' }, `HTTP ${e.status}${e.id ? ` · error id ${e.id}` : ''}`) : null));
      this.refusal.hidden = false;
      if (e instanceof ApiError) {
        for (const f of this.fields) if (e.message.includes(`'${f.param.name}'`)) f.mark('The server refused this value (see above).');
      }
    } finally {
      this.submit.disabled = false;
    }
  }
}

/** One parameter's input, chosen by its type, prefilled with its default. */
class ParamField {
  constructor(param) {
    this.param = param;
    const id = `param-${param.name}`;
    const t = param.type;
    if (t === 'boolean' && typeof param.default_value === 'boolean') {
      this.input = h('input', { id, name: param.name, type: 'checkbox' });
      this.kind = 'checkbox';
    } else if (t === 'boolean') {
      this.input = h('select', { id, name: param.name }, h('option', { value: '' }, 'not set'),
        h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
      this.kind = 'select';
    } else if (t === 'array' || t === 'object' || !['integer', 'number', 'string', 'data_stream', 'model'].includes(t)) {
      this.input = h('textarea', { id, name: param.name, rows: 3, spellcheck: 'false', placeholder: t === 'array' ? '[ … ]' : '{ … }' });
      this.kind = 'json';
    } else {
      this.input = h('input', { id, name: param.name, autocomplete: 'off', spellcheck: 'false',
        type: 'text', inputmode: t === 'integer' ? 'numeric' : t === 'number' ? 'decimal' : undefined,
        placeholder: t === 'data_stream' ? 'e.g. train.jsonl' : t === 'model' ? 'a saved model\'s directory' : undefined });
      this.kind = t;
    }
    this.error = h('div', { class: 'field-error', id: `${id}-error` });
    const hints = [];
    if (param.description) hints.push(/[.!?]$/.test(param.description) ? param.description : `${param.description}.`);
    if (t === 'data_stream') hints.push('A file in the server\'s data directory (data_streams.file_source_base): .jsonl, .json or .csv.');
    if (t === 'model') hints.push('A directory under the server\'s output directory.');
    if (param.default_value != null) hints.push(h('span', { class: 'hint-default' }, 'Default ', h('code', {}, JSON.stringify(param.default_value))));
    const label = h('label', { for: id }, h('code', {}, param.name), param.required ? h('span', { class: 'required' }, '*') : null,
      h('span', { class: `type type-${t}` }, t === 'data_stream' ? 'data file' : t));
    this.element = this.kind === 'checkbox'
      ? h('div', { class: 'field field-check', dataset: { param: param.name } },
        h('label', { class: 'toggle', for: id }, this.input, h('span', {}, h('code', {}, param.name))),
        hints.length ? h('div', { class: 'hint' }, joinHints(hints)) : null, this.error)
      : h('div', { class: 'field', dataset: { param: param.name } }, label, this.input,
        hints.length ? h('div', { class: 'hint' }, joinHints(hints)) : null, this.error);
    this.reset();
  }

  reset() {
    const d = this.param.default_value;
    if (this.kind === 'checkbox') this.input.checked = d === true;
    else if (this.kind === 'select') this.input.value = d == null ? '' : String(d);
    else if (this.kind === 'json') this.input.value = d == null ? '' : JSON.stringify(d);
    else this.input.value = d == null ? '' : String(d);
    this.mark('');
  }

  mark(message) {
    this.error.textContent = message;
    this.input.classList.toggle('invalid', !!message);
  }

  /** {value} to send (undefined to leave it to the server's default), or {error} after marking the field. */
  read() {
    const p = this.param;
    const fail = (message) => { this.mark(message); return { error: message }; };
    if (this.kind === 'checkbox') return { value: this.input.checked };
    const raw = this.input.value.trim();
    if (!raw) return p.required ? fail(`${p.name} is required.`) : { value: undefined };
    switch (this.kind) {
      case 'select': return { value: raw === 'true' };
      case 'integer':
        return /^[-+]?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? { value: Number(raw) }
          : fail(`${p.name} must be a whole number; got '${raw}'.`);
      case 'number':
        return raw !== '' && Number.isFinite(Number(raw)) ? { value: Number(raw) }
          : fail(`${p.name} must be a number; got '${raw}'.`);
      case 'data_stream': return { value: { data_stream: { file: { filename: raw } } } };
      case 'model': return { value: { model_path: raw } };
      case 'json': {
        let value;
        try {
          value = JSON.parse(raw);
        } catch (e) {
          return fail(`${p.name} is not valid JSON: ${e.message}`);
        }
        if (p.type === 'array' && !Array.isArray(value)) return fail(`${p.name} must be a JSON array.`);
        if (p.type === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
          return fail(`${p.name} must be a JSON object.`);
        }
        return { value };
      }
      default: return { value: raw };
    }
  }
}

function joinHints(hints) {
  return hints.flatMap((x, i) => (i ? [' ', x] : [x]));
}
