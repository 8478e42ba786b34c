// The console: session, layout and hash router (#/dashboard, #/models, ...). Pages are modules
// under pages/ loaded on first visit; each renders into <main> and returns its cleanup.

import { h, mount, toast } from './dom.js';
import * as api from './api.js';

const PAGES = {
  dashboard: { title: 'Dashboard', icon: '◧' },
  models: { title: 'Models', icon: '▤' },
  catalog: { title: 'Catalog', icon: '❖' },
  benchmarks: { title: 'Benchmarks', icon: '◷' },
  nodes: { title: 'Nodes & devices', icon: '▦' },
  playground: { title: 'Playground', icon: '✎' },
  keys: { title: 'API keys', icon: '✦' },
  usage: { title: 'Usage', icon: '▥' },
  routes: { title: 'Routes', icon: '⇄' },
  providers: { title: 'Providers', icon: '☁', admin: true },
  users: { title: 'Users', icon: '☺', admin: true },
  alerts: { title: 'Alerts', icon: '⚠', admin: true },
  groups: { title: 'Groups', icon: '⚑', admin: true },
  'name-limits': { title: 'Limits & prices', icon: '¤', admin: true },
  'worker-pools': { title: 'Worker pools', icon: '☁', admin: true },
};

const root = document.getElementById('app');
let user = null;
let cleanup = null;
let renderToken = 0;
let nextRoute = 'dashboard';
let onLogin = false;

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { page: path.split('/')[0] || 'dashboard', params: new URLSearchParams(query) };
}

/** Where to go after signing in: the current route with its query, unless that is the login page. */
function wanted() {
  const route = location.hash.replace(/^#\/?/, '');
  return !route || route.startsWith('login') ? 'dashboard' : route;
}

function stopPage() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
}

/** The sign-in screen; `notice` and `error` are shown above the form. */
async function showLogin({ notice, error } = {}) {
  stopPage();
  user = null;
  onLogin = true;
  const token = ++renderToken;
  document.title = 'Sign in · Gantry';
  const { default: render } = await import('./pages/login.js');
  if (token !== renderToken) return;
  cleanup = render(root, { notice, error, next: nextRoute, onSignedIn: signedIn });
}

/** A generated password (the bootstrap admin's) must be replaced before anything else works. */
async function showChangePassword(me, current) {
  stopPage();
  user = null;
  onLogin = true;
  const token = ++renderToken;
  document.title = 'Choose a new password · Gantry';
  const { default: render } = await import('./pages/change-password.js');
  if (token !== renderToken) return;
  cleanup = render(root, { user: me, current, onChanged: signedIn });
}

function signedIn(me, password) {
  if (me.password_change_required) {
    showChangePassword(me, password);
    return;
  }
  user = me;
  onLogin = false;
  const target = nextRoute || 'dashboard';
  nextRoute = 'dashboard';
  if (location.hash === `#/${target}`) route();
  else location.hash = `#/${target}`;
}

function shell(current) {
  const visible = Object.entries(PAGES).filter(([, page]) => !page.admin || user.role === 'admin');
  const nav = h('nav', { class: 'sidebar', id: 'nav', 'aria-label': 'Main' },
    h('ul', {}, visible.map(([id, page]) => h('li', {},
      h('a', { href: `#/${id}`, 'data-nav': id, 'aria-current': id === current ? 'page' : null },
        h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, page.icon), page.title))),
      h('li', {}, h('a', { href: '/docs/api', 'data-test': 'nav-api-reference' },
        h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, '⌘'), 'API reference'))));
  const toggle = h('button', { class: 'menu-toggle icon-button', 'aria-controls': 'nav', 'aria-expanded': 'false',
    onclick: () => {
      const open = document.body.classList.toggle('nav-open');
      toggle.setAttribute('aria-expanded', String(open));
    } }, h('span', { 'aria-hidden': 'true' }, '☰'), h('span', { class: 'sr-only' }, 'Menu'));
  const signOut = h('button', { class: 'secondary small', 'data-test': 'sign-out', onclick: logout }, 'Sign out');
  const main = h('main', { id: 'main', tabindex: '-1' });
  mount(root,
    h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header', { class: 'topbar' }, toggle,
      h('a', { class: 'brand', href: '#/dashboard' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), 'Gantry'),
      h('div', { class: 'who' },
        h('span', { class: 'who-name', 'data-test': 'user-name' }, user.full_name || user.username),
        h('span', { class: 'who-role' }, user.role), signOut)),
    h('div', { class: 'layout' }, nav, main));
  return main;
}

async function route() {
  const { page, params } = parseHash();
  if (page === 'login') {
    if (user) location.hash = '#/dashboard';
    else if (!onLogin || params.get('error')) showLogin({ error: params.get('error') });
    return;
  }
  if (!user) {
    nextRoute = wanted();
    location.hash = '#/login';
    return;
  }
  stopPage();
  document.body.classList.remove('nav-open');
  const token = ++renderToken;
  const known = PAGES[page];
  const fromNav = Boolean(document.activeElement?.closest?.('#nav'));
  const main = root.querySelector('main') && root.querySelector(`[data-nav="${page}"]`)
    ? updateNav(page) : shell(page);
  if (fromNav) main.focus({ preventScroll: true });
  if (!known) {
    document.title = 'Not found · Gantry';
    mount(main, h('h1', {}, 'Page not found'), h('p', {}, 'There is no page here. ', h('a', { href: '#/dashboard' }, 'Go to the dashboard.')));
    return;
  }
  document.title = `${known.title} · Gantry`;
  if (known.admin && user.role !== 'admin') {
    mount(main, h('section', { class: 'forbidden', 'data-test': 'forbidden' },
      h('h1', {}, known.title), h('p', {}, 'Only administrators can open this page.'),
      h('a', { href: '#/dashboard', class: 'button secondary' }, 'Back to the dashboard')));
    return;
  }
  try {
    const { default: render } = await import(`./pages/${page}.js`);
    if (token !== renderToken) return;
    main.replaceChildren();
    cleanup = render(main, { user, params });
  } catch (e) {
    mount(main, h('div', { class: 'error-box', role: 'alert' }, `This page failed to load: ${e.message}`));
  }
}

function updateNav(page) {
  for (const a of root.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const main = root.querySelector('main');
  main.replaceChildren();
  return main;
}

async function logout() {
  let ended;
  try {
    ended = await api.json('/auth/logout', { method: 'POST' });
  } catch (e) {
    toast(`Sign-out failed: ${e.message}`, 'bad');
    return;
  }
  nextRoute = 'dashboard';
  if (ended?.end_session_url) {
    // signed in through single sign-on: sign out at the identity provider too, which comes back to /
    user = null;
    location.assign(ended.end_session_url);
    return;
  }
  location.hash = '#/login';
  showLogin({ notice: 'You are signed out.' });
}

api.whenUnauthorized(() => {
  if (!user) return;
  nextRoute = wanted();
  location.hash = '#/login';
  showLogin({ notice: 'Your session has ended. Sign in again to continue.' });
});

/** An error from single sign-on comes back as ?error=... (in the query or after the hash). */
function takeErrorFromUrl() {
  const search = new URLSearchParams(location.search);
  const error = search.get('error') || parseHash().params.get('error');
  if (error) history.replaceState(null, '', `${location.pathname}#/login`);
  return error;
}

async function start() {
  const error = takeErrorFromUrl();
  const { page } = parseHash();
  nextRoute = wanted();
  try {
    user = await api.get('/v2/users/me');
  } catch (e) {
    user = null;
    if (e.status !== 401) {
      showLogin({ error: error || e.message });
      window.addEventListener('hashchange', route);
      return;
    }
  }
  window.addEventListener('hashchange', route);
  if (!user) {
    if (page !== 'login') history.replaceState(null, '', `${location.pathname}#/login`);
    showLogin({ error });
  } else if (user.password_change_required) {
    const me = user;
    user = null;
    showChangePassword(me);
  } else if (page === 'login') {
    location.hash = `#/${nextRoute}`;
  } else {
    route();
  }
}

start();
