// Users (admins only; the API refuses others too): create, change role, deactivate or activate, and
// clear a user's failed sign-ins (the pause that wrong passwords started).

import { badge, busy, confirmAction, empty, field, h, loading, mount, reconcile, showFieldErrors, toast } from '../dom.js';
import { del, patch, post } from '../api.js';
import { watch } from '../watch.js';
import { ago } from '../format.js';
import { get } from '../api.js';
import { limitsEditor } from '../limits-editor.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export default function render(main, { user: me }) {
  const list = h('div', { class: 'card' }, loading());
  const errors = h('div', { class: 'action-error' });
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Users')), createForm(), errors, list);

  const tbody = h('tbody', {});
  const table = h('table', { class: 'table', 'data-test': 'user-table' },
    h('thead', {}, h('tr', {}, ['User', 'Role', 'Status', 'Sign-in', 'Created', 'Limits', ''].map((t) => h('th', { scope: 'col' }, t)))), tbody);

  function draw(users, ready) {
    if (!users.length) {
      if (ready) mount(list, empty('No users'));
      return;
    }
    if (!list.contains(table)) mount(list, table);
    reconcile(tbody, users.slice().sort((a, b) => a.username.localeCompare(b.username)), (u) => u.id, userRow);
  }

  function userRow(initial) {
    let u = initial;
    const who = h('td', { 'data-label': 'User' });
    const status = h('td', { 'data-label': 'Status' });
    const source = h('td', { 'data-label': 'Sign-in' });
    const created = h('td', { 'data-label': 'Created' });
    const limits = h('td', { 'data-label': 'Limits' });
    const role = h('select', { 'aria-label': `Role of ${u.username}`, 'data-test': 'role' },
      ['user', 'admin'].map((r) => h('option', { value: r }, r)));
    role.addEventListener('change', async () => {
      const next = role.value;
      const ok = await busy(role, () => patch(`/v2/users/${u.id}`, { role: next }).then(() => true), errors);
      if (ok) toast(`${u.username} is now ${next === 'admin' ? 'an admin' : 'a user'}`);
      else role.value = u.role;
    });
    const toggle = h('button', { 'data-test': 'toggle-active', onclick: async () => {
      if (u.active) {
        const ok = await confirmAction({ title: `Deactivate ${u.username}?`, confirm: 'Deactivate',
          message: 'They cannot sign in, and their sessions and API keys stop working.' });
        if (!ok) return;
      }
      busy(toggle, () => patch(`/v2/users/${u.id}`, { active: !u.active }), errors);
    } });
    const unlock = h('button', { class: 'secondary small', 'data-test': 'unlock',
      title: 'Forget failed sign-ins: ends the pause that wrong passwords started', onclick: async () => {
        const ok = await busy(unlock, () => del(`/v2/users/${u.id}/sign-in-failures`).then(() => true), errors);
        if (ok) toast(`${u.username} can sign in again at once`);
      } }, 'Clear sign-in pause');
    const el = h('tr', { 'data-user': u.username }, who, h('td', { 'data-label': 'Role' }, role), status, source, created, limits,
      h('td', {}, h('div', { class: 'row-actions' }, toggle, unlock)));
    function update(next) {
      u = next;
      mount(who, h('strong', {}, u.username), u.id === me.id && h('span', { class: 'muted small' }, ' (you)'),
        (u.full_name || u.email) && h('p', { class: 'small muted' }, [u.full_name, u.email].filter(Boolean).join(' · ')));
      if (document.activeElement !== role) role.value = u.role;
      mount(status, badge(u.active ? 'active' : 'inactive'));
      source.textContent = u.source || 'local';
      created.textContent = ago(u.created_at);
      toggle.className = u.active ? 'danger small' : 'secondary small';
      toggle.textContent = u.active ? 'Deactivate' : 'Activate';
      unlock.hidden = (u.source || 'local') !== 'local';
      if (!limits.contains(document.activeElement)) {
        mount(limits, limitsEditor({ what: u.username, limits: u.limits, names: u.allowed_models ?? null,
          save: (body) => patch(`/v2/users/${u.id}`, { ...body, allowed_models: body.allowed_models.length ? body.allowed_models : null }),
          quota: () => get(`/v2/users/${u.id}`) }));
      }
    }
    return { el, update };
  }

  return watch('/v2/users', { onChange: (users, { ready }) => draw(users, ready) });
}

function createForm() {
  const control = {
    username: h('input', { name: 'username', autocomplete: 'off', spellcheck: 'false' }),
    password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    full_name: h('input', { name: 'full_name', autocomplete: 'off' }),
    email: h('input', { name: 'email', type: 'email', autocomplete: 'off' }),
    role: h('select', { name: 'role' }, h('option', { value: 'user' }, 'user'), h('option', { value: 'admin' }, 'admin')),
  };
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'create-user' }, 'Create user');
  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'user-form', onsubmit: async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(Object.entries(control).map(([k, c]) => [k, c.value.trim()]));
    const errors = {};
    if (!USERNAME.test(values.username)) errors.username = 'Letters, digits and . _ @ - (up to 64), starting with a letter or digit.';
    if (control.password.value.length < 8) errors.password = 'At least 8 characters.';
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) return;
    const body = { username: values.username, password: control.password.value, role: values.role };
    if (values.full_name) body.full_name = values.full_name;
    if (values.email) body.email = values.email;
    const created = await busy(submit, () => post('/v2/users', body), error);
    if (created) {
      toast(`Created ${created.username}`);
      form.reset();
    }
  } }, h('h2', {}, 'Create a user'),
  field('User name', control.username), field('Password', control.password, 'At least 8 characters; they can change it later.'),
  field('Full name', control.full_name), field('Email', control.email), field('Role', control.role),
  h('div', { class: 'form-actions' }, error, submit));
  return form;
}
