// Limits and prices of model/route names (admins only): the rate limits every caller of a name shares
// (PUT /v2/limits/{name}) and what its tokens cost, per million prompt and completion tokens, in the
// node's currency; costs show on the Usage page and count against cost budgets of keys, users and groups.

import { busy, confirmAction, empty, errorBox, field, h, loading, mount, showFieldErrors, toast } from '../dom.js';
import { del, get, put, seg } from '../api.js';
import { describeLimits, LIMIT_FIELDS, limitsFromForm } from '../limits.js';
import { describePrices, PRICE_FIELDS, pricesFromForm } from '../prices.js';

/** Rate limits only: quotas belong to keys, users and groups, not to a name. */
const RATE_FIELDS = LIMIT_FIELDS.slice(0, 4);

export default function render(main) {
  const list = h('div', { class: 'card' }, loading());
  const state = { currency: '', items: [] };
  const editor = nameForm(state, () => load());
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Limits & prices')),
    h('p', { class: 'muted lead' }, 'Rate limits that every caller of a model, route or provider/model shares on '
      + 'every node, and what its tokens cost. Costs show on the Usage page and count against cost budgets.'),
    editor.form, list);

  async function load() {
    try {
      const page = await get('/v2/limits');
      state.currency = page.currency || '';
      state.items = page.items || [];
      editor.currencyChanged();
      draw();
    } catch (e) {
      mount(list, errorBox(e));
    }
  }

  function draw() {
    if (!state.items.length) {
      mount(list, empty('No limits or prices yet', 'Set them for a name above.'));
      return;
    }
    const rows = state.items.slice().sort((a, b) => a.name.localeCompare(b.name)).map((item) => {
      const edit = h('button', { class: 'secondary small', 'data-test': 'edit-name-limits',
        onclick: () => editor.fill(item) }, 'Edit');
      const remove = h('button', { class: 'danger small', onclick: async () => {
        const ok = await confirmAction({ title: `Remove the limits and prices of ${item.name}?`, confirm: 'Remove',
          message: 'Its callers are no longer limited by name, and its requests cost nothing from now on.' });
        if (ok && await busy(remove, () => del(`/v2/limits/${seg(item.name)}`).then(() => true))) {
          toast(`Removed the limits and prices of ${item.name}`);
          load();
        }
      } }, 'Remove');
      return h('tr', { 'data-name': item.name },
        h('th', { scope: 'row', 'data-label': 'Name' }, item.name),
        h('td', { 'data-label': 'Rate limits' }, describeLimits(item.limits && Object.keys(item.limits).length ? item.limits : null)),
        h('td', { 'data-label': 'Prices', 'data-test': 'prices' }, describePrices(item.prices, state.currency)),
        h('td', {}, edit, remove));
    });
    mount(list, h('table', { class: 'table', 'data-test': 'name-limits-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Rate limits', `Prices (${state.currency})`, ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
  }

  load();
}

/** The form that sets one name's limits and prices (PUT replaces both); `fill(item)` loads a row into it. */
function nameForm(state, saved) {
  const name = h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false', placeholder: 'qwen, summarize or openai/gpt-4o' });
  const inputs = Object.fromEntries([...RATE_FIELDS, ...PRICE_FIELDS].map(([n]) =>
    [n, h('input', { name: n, inputmode: 'decimal', placeholder: 'none' })]));
  const priceLabels = PRICE_FIELDS.map(([n, label]) => [n, h('span', {}, label)]);
  const error = h('div', { class: 'form-error', 'data-test': 'name-limits-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'save-name-limits' }, 'Save');
  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'name-limits-form', onsubmit: async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(Object.entries(inputs).map(([k, c]) => [k, c.value]));
    const limits = limitsFromForm(values);
    const prices = pricesFromForm(values);
    const errors = { ...(limits.errors || {}), ...(prices.errors || {}) };
    if (!name.value.trim()) errors.name = 'Name a model, route or provider/model.';
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) return;
    const target = name.value.trim();
    const body = { limits: limits.limits, prices: prices.prices };
    if (await busy(submit, () => put(`/v2/limits/${seg(target)}`, body).then(() => true), error)) {
      toast(`Saved the limits and prices of ${target}`);
      saved();
    }
  } }, h('h2', {}, 'Set limits and prices of a name'),
  field('Model, route or provider/model', name),
  ...RATE_FIELDS.map(([n, label]) => field(label, inputs[n])),
  ...priceLabels.map(([n, label]) => field(label, inputs[n], "In the node's currency; empty for none.")),
  h('div', { class: 'form-actions' }, error, submit));
  return {
    form,
    currencyChanged() {
      for (const [n, label] of priceLabels) {
        label.textContent = `${PRICE_FIELDS.find(([f]) => f === n)[1]} (${state.currency})`;
      }
    },
    fill(item) {
      name.value = item.name;
      for (const [n, input] of Object.entries(inputs)) {
        input.value = item.limits?.[n] ?? item.prices?.[n] ?? '';
      }
      mount(error);
      name.focus();
    },
  };
}
