import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latest, modelCharts } from './model-history.js';

const history = {
  model: 'm', range: '1h', step_seconds: 10, nodes: ['n1'], unanswered: [],
  series: {
    requests_running: [[1000, 2], [11000, 3]],
    requests_waiting: [[1000, 0], [11000, 1]],
    kv_cache_usage_ratio: [[1000, 0.25]],
    ttft_seconds: [[1000, 0.05]],
    gateway_ttft_seconds: [[1000, 0.08]],
    gateway_requests_per_second: [[1000, 1.5]],
  },
};

test('engine and gateway series become charts in their units; charts without data are left out', () => {
  const charts = modelCharts(history);
  assert.deepEqual(charts.map((c) => c.id), ['queue', 'kv-cache', 'latency', 'gateway']);
  assert.deepEqual(charts[0].series[1].points, [{ x: 1000, y: 0 }, { x: 11000, y: 1 }]);
  assert.deepEqual(charts[1].series[0].points, [{ x: 1000, y: 25 }]);
  assert.deepEqual(charts[2].series.map((s) => s.points.map((p) => p.y)), [[50], [], [80]]);
  assert.deepEqual(charts[3].series[1].points, []);
});

test('a history without series draws nothing, and the latest value carries its unit', () => {
  assert.deepEqual(modelCharts({ series: {} }), []);
  assert.deepEqual(modelCharts({}), []);
  const [queue, kv, , gateway] = modelCharts(history);
  assert.equal(latest(queue), 'running 3');
  assert.equal(latest(kv), 'KV cache 25 %');
  assert.equal(latest(gateway), 'requests 1.5 req/s');
});
