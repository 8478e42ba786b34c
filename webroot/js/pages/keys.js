// API keys: create one (its secret is shown once, with a copy button), see them masked, revoke.

import { busy, confirmAction, copyText, empty, field, h, loading, mount, reconcile, showFieldErrors, toast } from '../dom.js';
import { del, post, seg } from '../api.js';
import { watch } from '../watch.js';
import { ago } from '../format.js';
import { get, patch } from '../api.js';
import { limitsEditor } from '../limits-editor.js';

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  const list = h('div', { class: 'card' }, loading());
  const secretSlot = h('div', {});
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'API keys')),
    h('p', { class: 'muted lead' }, 'Keys let programs call the OpenAI-compatible API (', h('code', {}, '/v1'),
      ') and, with the management scope, this API. Send one as ', h('code', {}, 'Authorization: Bearer gt-…'), '.'),
    createForm(secretSlot), secretSlot, h('h2', { class: 'section-title' }, admin ? 'All keys' : 'Your keys'), list);

  const tbody = h('tbody', {});
  const table = h('table', { class: 'table', 'data-test': 'key-table' },
    h('thead', {}, h('tr', {}, ['Name', 'Key', 'Scope', 'Models', 'Limits', admin && 'Owner', 'Created', 'Expires', '']
      .filter((t) => t !== false).map((t) => h('th', { scope: 'col' }, t)))), tbody);

  function draw(keys, ready) {
    if (!keys.length) {
      if (ready) mount(list, empty('No API keys yet', 'Create one above; its secret is shown only once.'));
      return;
    }
    if (!list.contains(table)) mount(list, table);
    const sorted = keys.slice().sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
    reconcile(tbody, sorted, (key) => key.id, (key) => {
      const el = h('tr', { 'data-key': key.name });
      return { el, update: (next) => mount(el, keyCells(next, admin)) };
    });
  }

  return watch('/v2/api-keys', { onChange: (keys, { ready }) => draw(keys, ready) });
}

function keyCells(key, admin) {
  return [
    h('td', { 'data-label': 'Name' }, h('strong', {}, key.name), key.description && h('p', { class: 'small muted' }, key.description)),
    h('td', { 'data-label': 'Key' }, h('code', { 'data-test': 'masked' }, key.value)),
    h('td', { 'data-label': 'Scope' }, key.scope === '*' ? 'all' : key.scope),
    h('td', { 'data-label': 'Models' }, key.allowed_models?.length ? key.allowed_models.join(', ') : 'all'),
    h('td', { 'data-label': 'Limits' }, limitsEditor({ what: key.name, limits: key.limits, readOnly: !admin,
      save: (body) => patch(`/v2/api-keys/${seg(key.id)}`, body), quota: () => get(`/v2/api-keys/${seg(key.id)}`) })),
    admin && h('td', { 'data-label': 'Owner' }, key.username || key.user_id),
    h('td', { 'data-label': 'Created' }, ago(key.created_at)),
    h('td', { 'data-label': 'Expires' }, key.expires_at ? new Date(key.expires_at).toLocaleDateString() : 'never'),
    h('td', {}, revokeButton(key))];
}

function revokeButton(key) {
  const button = h('button', { class: 'danger small', 'data-test': 'revoke', onclick: async () => {
    const ok = await confirmAction({ title: `Revoke ${key.name}?`, confirm: 'Revoke',
      message: 'Programs using this key are refused at once, on every node. This cannot be undone.' });
    if (ok && await busy(button, () => del(`/v2/api-keys/${seg(key.id)}`).then(() => true))) toast(`Revoked ${key.name}`);
  } }, 'Revoke');
  return button;
}

function createForm(secretSlot) {
  const name = h('input', { name: 'name', autocomplete: 'off', placeholder: 'laptop' });
  const scope = h('select', { name: 'scope' }, h('option', { value: 'inference' }, 'inference (/v1 only)'),
    h('option', { value: '*' }, 'all (/v1 and management)'), h('option', { value: 'management' }, 'management (/v2 only)'));
  const expires = h('select', { name: 'expires' }, h('option', { value: '' }, 'never'),
    ...[7, 30, 90, 365].map((d) => h('option', { value: String(d * 86400) }, `in ${d} days`)));
  const models = h('input', { name: 'models', placeholder: 'all models', spellcheck: 'false' });
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'create-key' }, 'Create key');
  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'key-form', onsubmit: async (e) => {
    e.preventDefault();
    const errors = {};
    if (!name.value.trim()) errors.name = 'Name the key after where it is used.';
    else if (name.value.trim().length > 128) errors.name = 'At most 128 characters.';
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) return;
    const body = { name: name.value.trim(), scope: scope.value };
    if (expires.value) body.expires_in = Number(expires.value);
    const allowed = models.value.split(',').map((m) => m.trim()).filter(Boolean);
    if (allowed.length) body.allowed_models = allowed;
    const key = await busy(submit, () => post('/v2/api-keys', body), error);
    if (!key) return;
    form.reset();
    showSecret(secretSlot, key);
  } },
  h('h2', {}, 'Create a key'),
  field('Name', name), field('Scope', scope), field('Expires', expires),
  field('Models', models, 'Comma-separated model names this key may call; empty for all.'),
  h('div', { class: 'form-actions' }, error, submit));
  return form;
}

function showSecret(slot, key) {
  const value = h('input', { readonly: true, value: key.value, class: 'secret', 'data-test': 'secret', 'aria-label': 'The new key' });
  const copy = h('button', { class: 'primary', 'data-test': 'copy', onclick: async () => {
    try {
      await copyText(key.value);
      copy.textContent = 'Copied';
    } catch {
      value.select();
      toast('Copy it by hand: the text is selected.', 'bad');
    }
  } }, 'Copy');
  const done = h('button', { class: 'secondary', onclick: () => slot.replaceChildren() }, 'Done');
  mount(slot, h('section', { class: 'card secret-card', role: 'status', 'data-test': 'secret-card' },
    h('h2', {}, `Key "${key.name}" created`),
    h('p', {}, h('strong', {}, 'Copy it now: '), 'this is the only time the full key is shown.'),
    h('div', { class: 'secret-row' }, value, copy, done)));
  value.focus();
  value.select();
}
