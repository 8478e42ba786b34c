// fetch() against the node that served the console, with the session cookie. Failures become
// ApiError with the API's own message; a 401 from any call means the session is over.

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};

export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export async function request(path, { method = 'GET', body, signal, headers = {} } = {}) {
  const init = { method, signal, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached; check that the node is running and try again.');
  }
  if (res.status === 401 && !path.startsWith('/auth/')) onUnauthorized();
  if (!res.ok) throw await failure(res);
  return res;
}

export async function failure(res) {
  let body = null;
  let message = `${res.status} ${res.statusText}`;
  try {
    body = await res.json();
    message = body.message || body.error?.message || message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, message, body);
}

export async function json(path, options) {
  const res = await request(path, options);
  return res.status === 204 ? null : res.json();
}

export const get = (path, options) => json(path, options);
export const post = (path, body, options) => json(path, { ...options, method: 'POST', body });
export const patch = (path, body, options) => json(path, { ...options, method: 'PATCH', body });
export const put = (path, body, options) => json(path, { ...options, method: 'PUT', body });
export const del = (path, options) => json(path, { ...options, method: 'DELETE' });

/** Encodes a path segment (model names may hold ':' and '.'). */
export const seg = (value) => encodeURIComponent(value);
