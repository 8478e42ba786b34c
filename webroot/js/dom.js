// A tiny element builder and the few widgets every page uses (status badges, empty states,
// errors, confirmation dialog, toasts). No framework: pages rebuild their parts with h().

export function h(tag, attrs = {}, ...children) {
  const el = tag === 'svg' || attrs?.svg ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false || name === 'svg') continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (name === 'style' && typeof value === 'object') {
      for (const [prop, v] of Object.entries(value)) {
        if (prop.startsWith('--')) el.style.setProperty(prop, v);
        else el.style[prop] = v;
      }
    }
    else if (name === 'value' || name === 'checked' || name === 'selected') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Keeps one element per item in `container`, in the items' order: `make(item)` builds a
 * {el, update(item)} the first time a key is seen, `update` runs on every call, and elements of
 * items that are gone are removed. Elements are reused, so focus and typed input survive updates.
 */
const reconciled = new WeakMap();

export function reconcile(container, items, keyOf, make) {
  if (!reconciled.has(container)) reconciled.set(container, new Map());
  const rows = reconciled.get(container);
  const order = items.map((item) => {
    const key = keyOf(item);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = make(item)));
    row.update(item);
    return row.el;
  });
  const keep = new Set(items.map(keyOf));
  for (const key of [...rows.keys()]) if (!keep.has(key)) rows.delete(key);
  if (order.length !== container.children.length || order.some((el, i) => container.children[i] !== el)) {
    container.replaceChildren(...order);
  }
}

/** Forgets the elements reconcile() kept for `container` (after showing something else in it). */
export function forget(container) {
  reconciled.delete(container);
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const GOOD = new Set(['running', 'ready', 'active', 'ok']);
const BAD = new Set(['error', 'unreachable', 'not_ready', 'inactive', 'failed']);
const IDLE = new Set(['stopped', 'maintenance']);

export function badge(state, text = state) {
  const tone = GOOD.has(state) ? 'good' : BAD.has(state) ? 'bad' : IDLE.has(state) ? 'idle' : 'busy';
  return h('span', { class: `badge ${tone}`, 'data-state': state }, text.replaceAll('_', ' '));
}

export function empty(title, detail, ...actions) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), detail && h('p', {}, detail), actions);
}

export function errorBox(error) {
  return h('div', { class: 'error-box', role: 'alert' }, error?.message || String(error));
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'muted loading', role: 'status' }, text);
}

export function meter(value, label) {
  const v = Math.max(0, Math.min(100, value || 0));
  return h('div', { class: 'meter', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(v),
    'aria-label': label }, h('span', { style: { width: `${v}%` }, class: v > 90 ? 'hot' : v > 70 ? 'warm' : '' }));
}

/** Asks before a destructive action; resolves true when confirmed. Escape or Cancel answer false. */
export function confirmAction({ title, message, confirm = 'Delete', danger = true }) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'confirm-title' }, title),
        h('p', {}, message),
        h('div', { class: 'actions' },
          h('button', { value: 'cancel', class: 'secondary' }, 'Cancel'),
          h('button', { value: 'ok', class: danger ? 'danger' : 'primary', 'data-confirm': '' }, confirm))));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('[data-confirm]').focus();
  });
}

export function toast(message, tone = 'good') {
  let region = document.getElementById('toasts');
  if (!region) {
    region = h('div', { id: 'toasts', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const el = h('div', { class: `toast ${tone}` }, message);
  region.append(el);
  setTimeout(() => el.remove(), 4000);
}

/** Runs an async action from a button: disables it meanwhile, shows failures in `errorTarget`. */
export async function busy(button, action, errorTarget) {
  button.disabled = true;
  if (errorTarget) errorTarget.replaceChildren();
  try {
    return await action();
  } catch (e) {
    if (errorTarget) errorTarget.replaceChildren(errorBox(e));
    else toast(e.message, 'bad');
    return undefined;
  } finally {
    button.disabled = false;
  }
}

/** A labelled form field; `hint` and the error slot are tied to the control for screen readers. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const hintEl = hint && h('p', { class: 'hint', id: `${id}-hint` }, hint);
  control.setAttribute('aria-describedby', [hintEl && `${id}-hint`, `${id}-error`].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': control.name || '' }, h('label', { for: id }, label), control, hintEl, error);
}

/** Shows per-field messages ({name: text}) under the fields of `form`; clears the others. */
export function showFieldErrors(form, errors) {
  for (const el of form.querySelectorAll('.field')) {
    const name = el.dataset.field;
    const message = errors?.[name] || '';
    el.querySelector('.field-error').textContent = message;
    el.querySelector('input,select,textarea')?.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = h('textarea', { style: { position: 'fixed', opacity: '0' } }, text);
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
