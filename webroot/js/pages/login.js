// Sign-in: the local form, and a single sign-on button when /auth/config says it is configured
// (a node without that endpoint answers 404: no SSO).

import { h, mount } from '../dom.js';
import { ApiError, failure } from '../api.js';

export async function authConfig() {
  try {
    const res = await fetch('/auth/config', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!res.ok) return { local: true, oidc: { enabled: false } };
    const config = await res.json();
    return { local: config.local !== false, oidc: { enabled: Boolean(config.oidc?.enabled),
      available: config.oidc?.available !== false, login_url: config.oidc?.login_url } };
  } catch {
    return { local: true, oidc: { enabled: false } };
  }
}

export default function render(root, { notice, error, next, onSignedIn }) {
  const message = h('div', { class: 'login-message', 'aria-live': 'assertive' },
    error && h('div', { class: 'error-box', role: 'alert', 'data-test': 'login-error' }, error),
    !error && notice && h('div', { class: 'notice', role: 'status', 'data-test': 'login-notice' }, notice));
  const username = h('input', { name: 'username', id: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary wide' }, 'Sign in');
  const form = h('form', { class: 'login-form', 'data-test': 'login-form', onsubmit: signIn, novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'username' }, 'User name'), username),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
    submit);
  const sso = h('div', { class: 'sso', hidden: true });

  async function signIn(event) {
    event.preventDefault();
    if (!username.value.trim() || !password.value) {
      mount(message, h('div', { class: 'error-box', role: 'alert', 'data-test': 'login-error' }, 'Enter your user name and password.'));
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const res = await fetch('/auth/login', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username: username.value.trim(), password: password.value }) });
      if (!res.ok) throw await failure(res);
      onSignedIn(await res.json(), password.value);
    } catch (e) {
      const text = e instanceof ApiError && e.status === 0 ? 'The server cannot be reached.' : e.message;
      mount(message, h('div', { class: 'error-box', role: 'alert', 'data-test': 'login-error' }, text));
      password.select();
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  }

  mount(root, h('div', { class: 'login-page' },
    h('main', { class: 'login-card', id: 'main' },
      h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), 'Gantry'),
      h('h1', {}, 'Sign in'),
      h('p', { class: 'muted' }, 'Models on your cluster, behind one OpenAI-compatible API.'),
      message, form, sso)));

  authConfig().then((config) => {
    if (!root.contains(sso)) return;
    if (config.oidc.enabled) {
      const target = `/#/${next && next !== 'login' ? next : 'dashboard'}`;
      const href = `${config.oidc.login_url || '/auth/oidc/login'}?redirect=${encodeURIComponent(target)}`;
      mount(sso, h('div', { class: 'divider' }, h('span', {}, 'or')),
        h('a', { class: 'button secondary wide', href, 'data-test': 'sso-login' }, 'Sign in with single sign-on'),
        !config.oidc.available && h('p', { class: 'hint sso-hint' },
          'The identity provider has not answered yet; if signing in with it fails, try again in a moment.'));
      sso.hidden = false;
    }
    if (!config.local) {
      form.hidden = true;
      sso.querySelector('.divider')?.remove();
    }
  });
  return () => {};
}
