import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyList, reduce } from './watch-list.js';

const apply = (events, key) => events.reduce((state, event) => reduce(state, event, key), emptyList());
const ids = (state, key = 'id') => state.items.map((item) => item[key]);

test('CREATED items are kept in arrival order', () => {
  const state = apply([{ type: 'CREATED', item: { id: 2 } }, { type: 'CREATED', item: { id: 1 } }]);
  assert.deepEqual(ids(state), [2, 1]);
});

test('UPDATED replaces the item in place; an UPDATED for an unknown item adds it', () => {
  const state = apply([
    { type: 'CREATED', item: { id: 'a', state: 'pending' } },
    { type: 'CREATED', item: { id: 'b', state: 'pending' } },
    { type: 'UPDATED', item: { id: 'a', state: 'running' } },
    { type: 'UPDATED', item: { id: 'c', state: 'starting' } },
  ]);
  assert.deepEqual(state.items, [
    { id: 'a', state: 'running' }, { id: 'b', state: 'pending' }, { id: 'c', state: 'starting' }]);
});

test('a repeated CREATED (a snapshot after reconnecting) does not duplicate', () => {
  const state = apply([{ type: 'CREATED', item: { id: 1, v: 1 } }, { type: 'CREATED', item: { id: 1, v: 2 } }]);
  assert.deepEqual(state.items, [{ id: 1, v: 2 }]);
});

test('DELETED removes by key, even when the event carries an older copy', () => {
  const state = apply([
    { type: 'CREATED', item: { id: 1, v: 1 } },
    { type: 'CREATED', item: { id: 2 } },
    { type: 'UPDATED', item: { id: 1, v: 2 } },
    { type: 'DELETED', item: { id: 1, v: 1 } },
  ]);
  assert.deepEqual(ids(state), [2]);
});

test('DELETED of an unknown item leaves the state untouched (same object)', () => {
  const before = apply([{ type: 'CREATED', item: { id: 1 } }]);
  assert.equal(reduce(before, { type: 'DELETED', item: { id: 9 } }), before);
});

test('the state is never mutated', () => {
  const before = apply([{ type: 'CREATED', item: { id: 1, v: 1 } }]);
  const snapshot = structuredClone(before.items);
  reduce(before, { type: 'UPDATED', item: { id: 1, v: 2 } });
  reduce(before, { type: 'DELETED', item: { id: 1 } });
  assert.deepEqual(before.items, snapshot);
});

test('a key field other than id (nodes are keyed by name)', () => {
  const state = apply([
    { type: 'CREATED', item: { name: 'n1', state: 'ready' } },
    { type: 'CREATED', item: { name: 'n2', state: 'ready' } },
    { type: 'UPDATED', item: { name: 'n1', state: 'unreachable' } },
    { type: 'DELETED', item: { name: 'n2' } },
  ], 'name');
  assert.deepEqual(state.items, [{ name: 'n1', state: 'unreachable' }]);
});

test('a key function', () => {
  const key = (item) => `${item.node}/${item.index}`;
  const state = apply([
    { type: 'CREATED', item: { node: 'a', index: 0, u: 1 } },
    { type: 'UPDATED', item: { node: 'a', index: 0, u: 2 } },
  ], key);
  assert.deepEqual(state.items, [{ node: 'a', index: 0, u: 2 }]);
});

test('items without a key and unknown event types are ignored', () => {
  const state = apply([{ type: 'CREATED', item: { name: 'x' } }, { type: 'ERROR', item: { id: 1 } }]);
  assert.deepEqual(state.items, []);
});

test('RESYNC then SWEEP drops only what the new snapshot did not mention', () => {
  let state = apply([
    { type: 'CREATED', item: { id: 1, v: 1 } },
    { type: 'CREATED', item: { id: 2 } },
    { type: 'CREATED', item: { id: 3 } },
  ]);
  state = reduce(state, { type: 'RESYNC' });
  assert.deepEqual(ids(state), [1, 2, 3], 'stale items stay visible until the sweep');
  state = reduce(state, { type: 'CREATED', item: { id: 3 } });
  state = reduce(state, { type: 'CREATED', item: { id: 1, v: 2 } });
  state = reduce(state, { type: 'CREATED', item: { id: 4 } });
  state = reduce(state, { type: 'SWEEP' });
  assert.deepEqual(state.items, [{ id: 1, v: 2 }, { id: 3 }, { id: 4 }]);
  assert.equal(state.stale.size, 0);
});

test('a DELETED during a resync is final; a SWEEP with nothing stale is a no-op', () => {
  let state = apply([{ type: 'CREATED', item: { id: 1 } }, { type: 'CREATED', item: { id: 2 } }]);
  state = reduce(state, { type: 'RESYNC' });
  state = reduce(state, { type: 'DELETED', item: { id: 1 } });
  state = reduce(state, { type: 'UPDATED', item: { id: 2 } });
  state = reduce(state, { type: 'SWEEP' });
  assert.deepEqual(ids(state), [2]);
  assert.equal(reduce(state, { type: 'SWEEP' }), state);
});
