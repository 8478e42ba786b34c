import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceSeries, nodeSeries, RANGES } from './node-history.js';

const history = {
  node: 'n1', range: '1h', step_seconds: 10,
  cpu: [[1000, 0.25], [11000, 0.5]],
  memory_used: [[1000, 4], [11000, 8]],
  memory_total: [[1000, 16]],
  devices: [
    { id: 'n1:cuda:0', memory_used: [[1000, 10]], utilization: [[1000, 0.97]], temperature: [[1000, 61]], power: [[1000, 81.5]] },
    { id: 'n1:rocm:0', utilization: [[1000, 0.07]] },
  ],
};

test('node series are percentages, memory against the total known at the time', () => {
  const [cpu, memory] = nodeSeries(history);
  assert.deepEqual(cpu.points, [{ x: 1000, y: 25 }, { x: 11000, y: 50 }]);
  assert.deepEqual(memory.points, [{ x: 1000, y: 25 }, { x: 11000, y: 50 }]);
  assert.deepEqual(nodeSeries({ cpu: [] })[1].points, []);
});

test('device series take names and memory totals from the node record; missing readings are empty', () => {
  const [gpu, amd] = deviceSeries(history, [{ id: 'n1:cuda:0', name: 'NVIDIA L40S', memory_total: 40 }]);
  assert.equal(gpu.name, 'NVIDIA L40S');
  assert.deepEqual(gpu.usage[0].points, [{ x: 1000, y: 97 }]);
  assert.deepEqual(gpu.usage[1].points, [{ x: 1000, y: 25 }]);
  assert.deepEqual(gpu.readings.map((s) => s.points[0].y), [61, 81.5]);
  assert.equal(amd.name, '');
  assert.deepEqual(amd.usage[1].points, []);
  assert.deepEqual(amd.readings[1].points, []);
  assert.deepEqual(RANGES, ['1h', '24h', '30d']);
});
