// A fold-out editor of one record's limits (and, where given, its allowed names), with its quota read
// when opened: used by the users, keys and groups pages.

import { busy, field, h, mount, showFieldErrors, toast } from './dom.js';
import { describeLimits, describeQuota, LIMIT_FIELDS, limitsFromForm, namesFromText } from './limits.js';

/**
 * `limits`: the current limits (or null); `names`: the allowed names (undefined: not edited here);
 * `save(body)`: sends {limits[, allowed_models]}; `quota()`: answers the record with its `quota` (optional);
 * `readOnly`: shows without editing (a user looking at their own key).
 */
export function limitsEditor({ what, limits, names, save, quota, readOnly = false }) {
  const summary = h('summary', {}, `Limits: ${describeLimits(limits)}`);
  const quotaLines = h('div', { class: 'small muted', 'data-test': 'quota' });
  const inputs = Object.fromEntries(LIMIT_FIELDS.map(([name]) => [name,
    h('input', { name, inputmode: 'decimal', value: limits?.[name] ?? '', disabled: readOnly, placeholder: 'none' })]));
  const namesInput = names === undefined ? null
    : h('input', { name: 'allowed_models', value: (names || []).join(', '), spellcheck: 'false', placeholder: 'all' });
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary small', 'data-test': 'save-limits' }, 'Save');
  const form = h('form', { class: 'form-grid', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(Object.entries(inputs).map(([k, c]) => [k, c.value]));
    const parsed = limitsFromForm(values);
    showFieldErrors(form, parsed.errors || {});
    if (parsed.errors) return;
    const body = { limits: parsed.limits };
    if (namesInput) body.allowed_models = namesFromText(namesInput.value);
    const saved = await busy(submit, () => save(body), error);
    if (saved) {
      summary.textContent = `Limits: ${describeLimits(parsed.limits)}`;
      toast(`Saved the limits of ${what}`);
    }
  } },
  ...LIMIT_FIELDS.map(([name, label]) => field(label, inputs[name])),
  namesInput && field('Allowed models/routes', namesInput, "Comma-separated names; '*' for all."),
  !readOnly && h('div', { class: 'form-actions' }, error, submit));
  const details = h('details', { 'data-test': 'limits' }, summary, quotaLines, form);
  details.addEventListener('toggle', async () => {
    if (!details.open || !quota) return;
    try {
      const lines = describeQuota((await quota()).quota);
      mount(quotaLines, lines.length ? lines.map((l) => h('p', {}, l)) : 'No quota set.');
    } catch (e) {
      mount(quotaLines, `Quota unavailable: ${e.message}`);
    }
  });
  return details;
}
