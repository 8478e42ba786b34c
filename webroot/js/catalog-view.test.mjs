import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployBody, describeEngine, describeHardware, describeTuning } from './catalog-view.js';

test('hardware reads as people say it', () => {
  assert.equal(describeHardware({ vendor: 'cpu', min_node_memory_gib: 16 }), 'CPU, 16 GiB RAM');
  assert.equal(describeHardware({ vendor: 'nvidia', device_count: 4, min_device_memory_gib: 80, min_compute_capability: '8.0' }),
    '4 × NVIDIA ≥ 80 GiB, compute 8.0+');
  assert.equal(describeHardware({ vendor: 'ascend', device_count: 1, device_name: '910B', min_device_memory_gib: 32 }),
    'Ascend 910B ≥ 32 GiB');
});

test('engine and tuning notes', () => {
  assert.equal(describeEngine({ backend: 'vllm', backend_versions: '>=0.8.5' }), 'vllm >=0.8.5');
  assert.equal(describeEngine({ backend: 'llama.cpp' }), 'llama.cpp');
  assert.equal(describeTuning({ speculative: { algorithm: 'ngram' }, kv_cache: { host_memory_gib: 64 } }),
    'speculative decoding (ngram), KV cache in host memory (64 GiB)');
  assert.equal(describeTuning({}), '');
});

test('the deploy body takes the name and the edited settings, and says what is wrong', () => {
  assert.deepEqual(deployBody(' qwen ', '{"source":"builtin","backend":"builtin","name":"ignored"}'),
    { body: { source: 'builtin', backend: 'builtin', name: 'qwen' } });
  assert.match(deployBody('', '{}').error, /name/);
  assert.match(deployBody('x', '{nope').error, /not valid JSON/);
  assert.match(deployBody('x', '[1]').error, /JSON object/);
});
