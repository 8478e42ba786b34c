// The state of one `?watch=true` list: items in arrival order, keyed by a field (or a function),
// changed only by reduce(). Pure, so node --test covers it (watch-list.test.mjs).
//
// Events: CREATED and UPDATED insert or replace the item, DELETED removes it. RESYNC marks every
// item stale before a fresh connection replays its snapshot (as CREATED events); SWEEP then drops
// the items the snapshot did not mention, i.e. those deleted while the stream was down.

export function emptyList() {
  return { items: [], stale: new Set() };
}

export function keyOf(item, key = 'id') {
  return typeof key === 'function' ? key(item) : item?.[key];
}

export function reduce(state, action, key = 'id') {
  switch (action.type) {
    case 'CREATED':
    case 'UPDATED':
      return upsert(state, action.item, key);
    case 'DELETED':
      return remove(state, keyOf(action.item, key), key);
    case 'RESYNC':
      return { items: state.items, stale: new Set(state.items.map((item) => keyOf(item, key))) };
    case 'SWEEP':
      if (state.stale.size === 0) return state;
      return { items: state.items.filter((item) => !state.stale.has(keyOf(item, key))), stale: new Set() };
    default:
      return state;
  }
}

function upsert(state, item, key) {
  const k = keyOf(item, key);
  if (k === undefined || k === null) return state;
  const index = state.items.findIndex((existing) => keyOf(existing, key) === k);
  const items = state.items.slice();
  if (index < 0) items.push(item);
  else items[index] = item;
  return { items, stale: withoutKey(state.stale, k) };
}

function remove(state, k, key) {
  const items = state.items.filter((existing) => keyOf(existing, key) !== k);
  if (items.length === state.items.length && !state.stale.has(k)) return state;
  return { items, stale: withoutKey(state.stale, k) };
}

function withoutKey(set, k) {
  if (!set.has(k)) return set;
  const next = new Set(set);
  next.delete(k);
  return next;
}
