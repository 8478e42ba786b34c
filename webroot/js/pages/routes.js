// Routes: names clients call as "model", each sending requests to weighted targets (Gantry models or
// <provider>/<model>) and, when a target fails before the first byte, to its fallbacks in order.

import { busy, confirmAction, empty, field, h, loading, mount, reconcile, showFieldErrors, toast } from '../dom.js';
import { del, post, seg } from '../api.js';
import { watch } from '../watch.js';
import { ago } from '../format.js';
import { parseTargets, targetLabel } from '../route-form.js';

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  const list = h('div', { class: 'card' }, loading());
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Routes')),
    h('p', { class: 'muted lead' }, 'A route is a name clients pass as ', h('code', {}, 'model'),
      '. Each request goes to one target picked by weight; when it fails before the first byte, the fallbacks are tried in order.'),
    admin && createForm(), h('h2', { class: 'section-title' }, 'All routes'), list);

  const tbody = h('tbody', {});
  const table = h('table', { class: 'table', 'data-test': 'route-table' },
    h('thead', {}, h('tr', {}, ['Name', 'Targets', 'Fallbacks', 'Falls back on', 'Updated', admin && '']
      .filter((t) => t !== false).map((t) => h('th', { scope: 'col' }, t)))), tbody);

  function draw(routes, ready) {
    if (!routes.length) {
      if (ready) mount(list, empty('No routes yet', admin ? 'Create one above.' : 'An administrator creates them.'));
      return;
    }
    if (!list.contains(table)) mount(list, table);
    const sorted = routes.slice().sort((a, b) => String(a.name).localeCompare(String(b.name)));
    reconcile(tbody, sorted, (route) => route.id, (route) => {
      const el = h('tr', { 'data-route': route.name });
      return { el, update: (next) => mount(el, cells(next, admin)) };
    });
  }

  return watch('/v2/routes', { onChange: (routes, { ready }) => draw(routes, ready) });
}

function triggers(on = {}) {
  const words = [on.connect_error !== false && 'connect error', on.server_error !== false && '5xx',
    on.rate_limited !== false && '429', on.first_byte_timeout_ms > 0 && `no head in ${on.first_byte_timeout_ms} ms`,
    on.ttft_deadline_ms > 0 && `no token in ${on.ttft_deadline_ms} ms`].filter(Boolean);
  return words.join(', ') || 'nothing';
}

function cells(route, admin) {
  return [
    h('td', { 'data-label': 'Name' }, h('strong', {}, route.name), route.description && h('p', { class: 'small muted' }, route.description)),
    h('td', { 'data-label': 'Targets' }, (route.targets || []).map((t) => targetLabel(t)).join(', ')),
    h('td', { 'data-label': 'Fallbacks' }, (route.fallbacks || []).map((t) => targetLabel(t, false)).join(' → ') || 'none'),
    h('td', { 'data-label': 'Falls back on' }, triggers(route.fallback_on)),
    h('td', { 'data-label': 'Updated' }, ago(route.updated_at)),
    admin && h('td', {}, deleteButton(route))];
}

function deleteButton(route) {
  const button = h('button', { class: 'danger small', 'data-test': 'delete-route', onclick: async () => {
    const ok = await confirmAction({ title: `Delete route ${route.name}?`,
      message: 'Clients calling this name get 404 at once, on every node.' });
    if (ok && await busy(button, () => del(`/v2/routes/${seg(route.id)}`).then(() => true))) toast(`Deleted ${route.name}`);
  } }, 'Delete');
  return button;
}

function createForm() {
  const name = h('input', { name: 'name', autocomplete: 'off', placeholder: 'chat' });
  const targets = h('input', { name: 'targets', placeholder: 'qwen:3, llama:1', spellcheck: 'false' });
  const fallbacks = h('input', { name: 'fallbacks', placeholder: 'deepseek/deepseek-chat', spellcheck: 'false' });
  const firstByte = h('input', { name: 'first_byte_timeout_ms', type: 'number', min: '0', placeholder: '0' });
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'create-route' }, 'Create route');
  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'route-form', onsubmit: async (e) => {
    e.preventDefault();
    const errors = {};
    if (!name.value.trim()) errors.name = 'Name the route: clients pass this name as model.';
    if (!parseTargets(targets.value).length) errors.targets = 'List at least one target.';
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) return;
    const body = { name: name.value.trim(), targets: parseTargets(targets.value),
      fallbacks: parseTargets(fallbacks.value, false) };
    if (Number(firstByte.value) > 0) body.fallback_on = { first_byte_timeout_ms: Number(firstByte.value) };
    const created = await busy(submit, () => post('/v2/routes', body), error);
    if (!created) return;
    form.reset();
    toast(`Created route ${created.name}`);
  } },
  h('h2', {}, 'Create a route'),
  field('Name', name),
  field('Targets', targets, 'Comma-separated model:weight; a provider model is provider/model.'),
  field('Fallbacks', fallbacks, 'Comma-separated, tried in this order.'),
  field('First-byte timeout (ms)', firstByte, 'Fall back when no answer head comes within this; 0 for none.'),
  h('div', { class: 'form-actions' }, error, submit));
  return form;
}
