import test from 'node:test';
import assert from 'node:assert/strict';
import { countByState, describeRule, orderAlerts } from './alert-list.js';

test('firing alerts come first, then pending, then resolved, newest first within each', () => {
  const alerts = [
    { id: 'r-old', state: 'resolved', started_at: '2026-12-01T00:00:00Z', resolved_at: '2026-12-01T00:05:00Z' },
    { id: 'p', state: 'pending', started_at: '2026-12-01T00:09:00Z' },
    { id: 'f-old', state: 'firing', started_at: '2026-12-01T00:00:00Z', firing_at: '2026-12-01T00:01:00Z' },
    { id: 'r-new', state: 'resolved', started_at: '2026-12-01T00:00:00Z', resolved_at: '2026-12-01T00:08:00Z' },
    { id: 'f-new', state: 'firing', started_at: '2026-12-01T00:02:00Z', firing_at: '2026-12-01T00:03:00Z' },
  ];
  assert.deepEqual(orderAlerts(alerts).map((a) => a.id), ['f-new', 'f-old', 'p', 'r-new', 'r-old']);
  assert.equal(alerts[0].id, 'r-old', 'the input is not reordered');
});

test('counts alerts per state', () => {
  assert.deepEqual(countByState([{ state: 'firing' }, { state: 'firing' }, { state: 'resolved' }]),
    { firing: 2, pending: 0, resolved: 1 });
});

test('describes rules in words', () => {
  assert.equal(describeRule({ kind: 'device_temperature', threshold: 90, for_seconds: 120 }),
    'device temperature > 90 °C for 2 min');
  assert.equal(describeRule({ kind: 'model_error_rate', threshold: 0.05, for_seconds: 60, model: 'chat' }),
    'model error rate > 5 % for 1 min on model chat');
  assert.equal(describeRule({ kind: 'replica_error', for_seconds: 30, node: 'n2' }), 'replica error for 30 s on node n2');
  assert.equal(describeRule({ kind: 'device_vanished', for_seconds: 0 }), 'device vanished');
});
