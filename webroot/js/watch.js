// Follows a `?watch=true` stream with EventSource and keeps the list with the watch-list reducer.
// On any error the stream is closed and opened afresh after a back-off (the session is checked
// first, so an ended session goes to sign-in); the new snapshot is reconciled with RESYNC/SWEEP.

import { emptyList, reduce } from './watch-list.js';
import { request } from './api.js';

const TYPES = ['CREATED', 'UPDATED', 'DELETED'];
const SNAPSHOT_SETTLE_MS = 1500;
const READY_AFTER_OPEN_MS = 250;

export function watch(path, { key = 'id', onChange }) {
  let state = emptyList();
  let source = null;
  let stopped = false;
  let ready = false;
  let retryMs = 1000;
  let renderQueued = false;
  const timers = new Set();

  const later = (fn, ms) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const render = () => {
    if (renderQueued || stopped) return;
    renderQueued = true;
    later(() => {
      renderQueued = false;
      if (!stopped) onChange(state.items, { ready });
    }, 30);
  };
  const dispatch = (action) => {
    state = reduce(state, action, key);
    render();
  };

  function connect(resync) {
    const url = `${path}${path.includes('?') ? '&' : '?'}watch=true`;
    source = new EventSource(url, { withCredentials: true });
    source.onopen = () => {
      retryMs = 1000;
      if (resync) {
        dispatch({ type: 'RESYNC' });
        later(() => dispatch({ type: 'SWEEP' }), SNAPSHOT_SETTLE_MS);
      }
      later(() => {
        ready = true;
        render();
      }, READY_AFTER_OPEN_MS);
    };
    for (const type of TYPES) {
      source.addEventListener(type, (e) => dispatch({ type, item: JSON.parse(e.data) }));
    }
    source.onerror = () => {
      source.close();
      if (stopped) return;
      // a 401 here ends the session through api.js; anything else: try again
      const again = () => later(() => !stopped && connect(true), retryMs);
      request('/v2/users/me').then(again, (e) => e.status !== 401 && again());
      retryMs = Math.min(retryMs * 2, 15000);
    };
  }

  connect(false);
  return () => {
    stopped = true;
    source?.close();
    timers.forEach(clearTimeout);
  };
}
