// Catalog: model families with the tuned specs that fit this cluster's hardware, best first. An admin
// deploys a spec from a form filled with it (name, replicas, the settings as editable JSON).

import { badge, busy, empty, errorBox, field, h, loading, mount, toast } from '../dom.js';
import { get, post } from '../api.js';
import { deployBody, describeEngine, describeHardware, describeTuning } from '../catalog-view.js';
import { describeMeasured } from '../tuning-view.js';

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  const list = h('div', { 'data-test': 'catalog-list' }, loading());
  const showAll = h('input', { type: 'checkbox', 'data-test': 'catalog-all', onchange: () => load() });
  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Catalog'),
      h('label', { class: 'inline' }, showAll, ' Also show specs that fit no node')),
    h('p', { class: 'muted lead' }, 'Tuned ways to run each model: the engine, its version and settings for a kind of hardware. ',
      'Only what fits your nodes is shown, best first.'),
    list);

  let stale = false;
  async function load() {
    try {
      const catalog = await get(`/v2/catalog${showAll.checked ? '?all=true' : ''}`);
      if (!stale) draw(catalog);
    } catch (e) {
      if (!stale) mount(list, errorBox(e));
    }
  }

  function draw(catalog) {
    const problems = catalog.sources.filter((s) => s.error);
    mount(list,
      catalog.items.length ? catalog.items.map((family) => familyCard(family, admin))
        : h('div', { class: 'card' }, empty('Nothing fits yet', 'No spec fits a ready node. Tick "Also show specs that fit no node" to see why.')),
      problems.length > 0 && h('div', { class: 'card', 'data-test': 'catalog-sources' }, h('h2', {}, 'Catalog files with problems'),
        h('ul', {}, problems.map((s) => h('li', {}, h('code', {}, s.source), `: ${s.error}`)))));
  }

  load();
  return () => { stale = true; };
}

function familyCard(family, admin) {
  return h('article', { class: 'card catalog-family', 'data-family': family.name },
    h('div', { class: 'card-head' }, h('h2', {}, family.title),
      family.categories.map((c) => h('span', { class: 'badge idle' }, c)),
      family.homepage && h('a', { href: family.homepage, target: '_blank', rel: 'noopener noreferrer', class: 'small' }, 'Model card')),
    h('p', { class: 'muted' }, family.description),
    h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Mode', 'Hardware', 'Engine', 'Fits on', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, family.specs.map((spec) => specRow(family, spec, admin)))));
}

function specRow(family, spec, admin) {
  const tuning = describeTuning(spec.model);
  const slot = h('td', { colspan: 5 });
  const formRow = h('tr', { class: 'catalog-deploy', hidden: true }, slot);
  const deploy = admin && spec.fits && h('button', { class: 'primary small', 'data-test': 'catalog-deploy',
    onclick: () => {
      formRow.hidden = !formRow.hidden;
      if (!formRow.hidden && !slot.firstChild) mount(slot, deployForm(family, spec, () => { formRow.hidden = true; }));
      slot.querySelector('input')?.focus();
    } }, 'Deploy');
  const row = h('tr', { 'data-spec': spec.id },
    h('td', { 'data-label': 'Mode' }, badge(spec.fits ? 'ready' : 'stopped', spec.mode)),
    h('td', { 'data-label': 'Hardware' }, describeHardware(spec.hardware)),
    h('td', { 'data-label': 'Engine' }, describeEngine(spec), tuning && h('p', { class: 'small muted' }, tuning),
      spec.notes && h('p', { class: 'small muted' }, spec.notes),
      describeMeasured(spec) && h('p', { class: 'small', 'data-test': 'catalog-measured' }, describeMeasured(spec))),
    h('td', { 'data-label': 'Fits on' }, spec.fits ? spec.nodes.join(', ') : h('span', { class: 'small muted' }, spec.reason)),
    h('td', {}, deploy || ''));
  return [row, formRow];
}

function deployForm(family, spec, close) {
  const name = h('input', { name: 'name', value: family.name, autocomplete: 'off' });
  const settings = h('textarea', { name: 'settings', rows: 8, spellcheck: 'false', class: 'mono' });
  settings.value = JSON.stringify(spec.model, null, 2);
  const error = h('div', { class: 'action-error', 'data-test': 'catalog-deploy-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'catalog-deploy-submit' }, 'Deploy');
  const form = h('form', { class: 'form catalog-form', onsubmit: async (event) => {
    event.preventDefault();
    const { body, error: problem } = deployBody(name.value, settings.value);
    if (problem) {
      mount(error, problem);
      return;
    }
    const done = await busy(submit, () => post('/v2/models', body).then(() => true), error);
    if (done) {
      toast(`Deploying ${body.name}`);
      close();
      location.hash = '#/models';
    }
  } },
  field('Name', name, 'Clients pass it as "model".'),
  field('Settings', settings, 'The model as this spec deploys it (POST /v2/models); edit before deploying if you like.'),
  error, h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
  return form;
}
