// Choosing a new password before anything else: shown after signing in when the account's password was
// generated (the bootstrap admin); until it is changed, every other call answers 403.

import { h, mount } from '../dom.js';
import { ApiError, failure } from '../api.js';

export default function render(root, { user, current, onChanged }) {
  const message = h('div', { class: 'login-message', 'aria-live': 'assertive' },
    h('div', { class: 'notice', role: 'status', 'data-test': 'change-notice' },
      `The password of '${user.username}' was generated. Choose your own before you continue.`));
  const field = (id, label, autocomplete, value) => h('input', { name: id, id, type: 'password', autocomplete,
    required: true, value: value || '' });
  const currentPassword = field('current_password', 'Current password', 'current-password', current);
  const password = field('new_password', 'New password', 'new-password');
  const repeat = field('repeat_password', 'Repeat the new password', 'new-password');
  const submit = h('button', { type: 'submit', class: 'primary wide' }, 'Change password');
  const form = h('form', { class: 'login-form', 'data-test': 'change-password-form', onsubmit: change, novalidate: true },
    h('div', { class: 'field', hidden: Boolean(current) },
      h('label', { for: 'current_password' }, 'Current password'), currentPassword),
    h('div', { class: 'field' }, h('label', { for: 'new_password' }, 'New password'), password),
    h('div', { class: 'field' }, h('label', { for: 'repeat_password' }, 'Repeat the new password'), repeat),
    submit);

  function problem(text) {
    mount(message, h('div', { class: 'error-box', role: 'alert', 'data-test': 'change-error' }, text));
  }

  async function change(event) {
    event.preventDefault();
    if (!currentPassword.value) return problem('Enter your current password.');
    if (password.value.length < 8) return problem('The new password needs at least 8 characters.');
    if (password.value !== repeat.value) return problem('The two new passwords differ.');
    submit.disabled = true;
    try {
      const res = await fetch('/v2/users/me', { method: 'PATCH', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ current_password: currentPassword.value, password: password.value }) });
      if (!res.ok) throw await failure(res);
      onChanged(await res.json());
    } catch (e) {
      problem(e instanceof ApiError && e.status === 0 ? 'The server cannot be reached.' : e.message);
    } finally {
      submit.disabled = false;
    }
  }

  mount(root, h('div', { class: 'login-page' },
    h('main', { class: 'login-card', id: 'main' },
      h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), 'Gantry'),
      h('h1', {}, 'Choose a new password'),
      message, form)));
  (current ? password : currentPassword).focus();
  return () => {};
}
