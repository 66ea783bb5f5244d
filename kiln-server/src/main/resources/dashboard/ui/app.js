// The dashboard's shell: asks for a token when the server wants one, follows the server's event stream, keeps the
// load at a glance current, and shows one page at a time from the address's #fragment.

import { api, describe, forgetToken, onTokenNeeded, token } from './api.js';
import { askForToken } from './auth.js';
import { fill } from './dom.js';
import { Load, renderGlance } from './load.js';
import { modelView, modelsView } from './models.js';
import { moduleView, modulesView } from './modules.js';
import { followEvents } from './sse.js';
import { trainingView } from './training.js';
import { trainingsView } from './trainings.js';
import { failure } from './widgets.js';

const ROUTES = [
  { pattern: /^\/?$/, view: trainingsView, nav: 'trainings' },
  { pattern: /^\/trainings\/([^/]+)$/, view: trainingView, nav: 'trainings' },
  { pattern: /^\/modules$/, view: modulesView, nav: 'modules' },
  { pattern: /^\/modules\/([^/]+)$/, view: moduleView, nav: 'modules' },
  { pattern: /^\/models$/, view: modelsView, nav: 'models' },
  { pattern: /^\/models\/(.+)$/, view: modelView, nav: 'models' },
];

/** What a page gets: the bus, the load, its address parts, and a place to register what to undo when it leaves. */
class PageContext {
  constructor(bus, load, params, query) {
    this.bus = bus;
    this.load = load;
    this.params = params;
    this.query = query;
    this.alive = true;
    this.cleanups = [];
  }

  /** Listens on the bus while the page is shown. */
  on(type, listener) {
    const wrapped = (e) => this.alive && listener(e.detail);
    this.bus.addEventListener(type, wrapped);
    this.cleanups.push(() => this.bus.removeEventListener(type, wrapped));
  }

  /** Runs `fn` every `ms` while the page is shown. */
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    this.cleanups.push(() => clearInterval(timer));
  }

  /** Runs `fn` when the page is left. */
  onLeave(fn) {
    this.cleanups.push(fn);
  }

  leave() {
    this.alive = false;
    this.cleanups.splice(0).forEach((fn) => fn());
  }
}

const bus = new EventTarget();
const load = new Load(bus);
const root = document.getElementById('view');
let page = null;

function show() {
  const [path, search] = decodeURIComponent(location.hash.replace(/^#/, '')).split('?');
  const query = new URLSearchParams(search || '');
  const route = ROUTES.find((r) => r.pattern.test(path || '/'));
  if (page) page.leave();
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', route && a.dataset.nav === route.nav));
  fill(root);
  if (!route) {
    root.append(failure('No such page', `The dashboard has no page at #${path}.`));
    return;
  }
  const shown = new PageContext(bus, load, (path || '/').match(route.pattern).slice(1), query);
  page = shown;
  window.scrollTo(0, 0);
  Promise.resolve(route.view(root, shown)).catch((e) => {
    if (shown.alive) fill(root, failure('This page could not be shown', describe(e)));
  });
}

function followServer() {
  const live = document.getElementById('live');
  followEvents('/management/events', {
    onOpen() {
      live.dataset.state = 'up';
      live.title = 'Following the server\'s events';
      load.soon();
      bus.dispatchEvent(new CustomEvent('resync'));
    },
    onDown() {
      live.dataset.state = 'down';
      live.title = 'Lost the server\'s event stream; reconnecting';
    },
    onEvent(type, data) {
      if (!data || !data.training) return;
      bus.dispatchEvent(new CustomEvent('training', { detail: { type, training: data.training } }));
      if (type === 'state') load.soon();
    },
  });
}

async function start() {
  onTokenNeeded(askForToken);
  const signOut = document.getElementById('sign-out');
  signOut.addEventListener('click', () => {
    forgetToken();
    location.reload();
  });
  bus.addEventListener('summary', (e) => renderGlance(document.getElementById('load-glance'), e.detail));
  try {
    await load.refresh();
  } catch (e) {
    fill(root, failure('The Kiln server did not answer', describe(e)));
    return;
  }
  signOut.hidden = !token();
  document.body.classList.add('ready');
  const version = await api('/info/version').catch(() => null);
  if (version) document.getElementById('version').textContent = `Kiln ${version.runtime_version}`;
  followServer();
  window.addEventListener('hashchange', show);
  show();
}

start();
