// Providers (admins): external model APIs whose models clients call as <provider>/<model> or through
// routes. Credentials are sent once and never shown again: the list shows their count and fingerprints.

import { busy, confirmAction, empty, field, h, loading, mount, reconcile, showFieldErrors, toast } from '../dom.js';
import { del, post, seg } from '../api.js';
import { watch } from '../watch.js';
import { ago } from '../format.js';

export default function render(main) {
  const list = h('div', { class: 'card' }, loading());
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Providers')),
    h('p', { class: 'muted lead' }, 'OpenAI-compatible APIs, Anthropic and Azure OpenAI. Their models are called as ',
      h('code', {}, 'provider/model'), '; credentials are used in turn and skipped while they fail.'),
    createForm(), h('h2', { class: 'section-title' }, 'All providers'), list);

  const tbody = h('tbody', {});
  const table = h('table', { class: 'table', 'data-test': 'provider-table' },
    h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Base URL', 'Models', 'Credentials', 'Timeout', 'Updated', '']
      .map((t) => h('th', { scope: 'col' }, t)))), tbody);

  function draw(providers, ready) {
    if (!providers.length) {
      if (ready) mount(list, empty('No providers yet', 'Add one above.'));
      return;
    }
    if (!list.contains(table)) mount(list, table);
    const sorted = providers.slice().sort((a, b) => String(a.name).localeCompare(String(b.name)));
    reconcile(tbody, sorted, (p) => p.id, (p) => {
      const el = h('tr', { 'data-provider': p.name });
      return { el, update: (next) => mount(el, cells(next)) };
    });
  }

  return watch('/v2/providers', { onChange: (providers, { ready }) => draw(providers, ready) });
}

function cells(p) {
  return [
    h('td', { 'data-label': 'Name' }, h('strong', {}, p.name)),
    h('td', { 'data-label': 'Kind' }, p.kind),
    h('td', { 'data-label': 'Base URL' }, h('code', {}, p.base_url)),
    h('td', { 'data-label': 'Models' }, (p.models || []).map((m) => `${p.name}/${m}`).join(', ')),
    h('td', { 'data-label': 'Credentials' }, `${p.credential_count}`,
      p.credential_fingerprints?.length ? h('p', { class: 'small muted' }, p.credential_fingerprints.join(' ')) : null),
    h('td', { 'data-label': 'Timeout' }, `${(p.timeout_ms || 60000) / 1000} s`),
    h('td', { 'data-label': 'Updated' }, ago(p.updated_at)),
    h('td', {}, deleteButton(p))];
}

function deleteButton(p) {
  const button = h('button', { class: 'danger small', 'data-test': 'delete-provider', onclick: async () => {
    const ok = await confirmAction({ title: `Delete provider ${p.name}?`,
      message: 'Its models stop answering at once. A provider some route uses cannot be deleted.' });
    if (ok && await busy(button, () => del(`/v2/providers/${seg(p.id)}`).then(() => true))) toast(`Deleted ${p.name}`);
  } }, 'Delete');
  return button;
}

function createForm() {
  const name = h('input', { name: 'name', autocomplete: 'off', placeholder: 'deepseek' });
  const kind = h('select', { name: 'kind' }, h('option', { value: 'openai' }, 'OpenAI-compatible'),
    h('option', { value: 'anthropic' }, 'Anthropic'), h('option', { value: 'azure' }, 'Azure OpenAI'));
  const baseUrl = h('input', { name: 'base_url', placeholder: 'https://api.deepseek.com/v1', spellcheck: 'false' });
  const apiVersion = h('input', { name: 'api_version', placeholder: 'Azure only: 2024-10-21' });
  const credentials = h('textarea', { name: 'credentials', rows: '2', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'one API key per line' });
  const models = h('input', { name: 'models', placeholder: 'deepseek-chat, deepseek-reasoner', spellcheck: 'false' });
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'create-provider' }, 'Add provider');
  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'provider-form', onsubmit: async (e) => {
    e.preventDefault();
    const errors = {};
    const modelList = models.value.split(',').map((m) => m.trim()).filter(Boolean);
    if (!name.value.trim()) errors.name = 'Name the provider; its models are called name/model.';
    if (!baseUrl.value.trim()) errors.base_url = 'The API\'s base URL.';
    if (!modelList.length) errors.models = 'List the models it offers.';
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) return;
    const body = { name: name.value.trim(), kind: kind.value, base_url: baseUrl.value.trim(), models: modelList,
      credentials: credentials.value.split('\n').map((c) => c.trim()).filter(Boolean) };
    if (apiVersion.value.trim()) body.api_version = apiVersion.value.trim();
    const created = await busy(submit, () => post('/v2/providers', body), error);
    if (!created) return;
    form.reset();
    toast(`Added provider ${created.name}`);
  } },
  h('h2', {}, 'Add a provider'),
  field('Name', name), field('Kind', kind), field('Base URL', baseUrl), field('API version', apiVersion),
  field('Credentials', credentials, 'Stored encrypted, never shown again.'), field('Models', models, 'Comma-separated.'),
  h('div', { class: 'form-actions' }, error, submit));
  return form;
}
