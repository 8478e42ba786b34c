import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, splitArgs } from './model-form.js';

test('splitArgs splits on whitespace and keeps quoted and escaped spaces', () => {
  assert.deepEqual(splitArgs('  -c 512\n--flash-attn '), ['-c', '512', '--flash-attn']);
  assert.deepEqual(splitArgs(`--chat-template "a b" 'c "d"' e\\ f ""`), ['--chat-template', 'a b', 'c "d"', 'e f', '']);
  assert.throws(() => splitArgs('--x "open'), /unclosed " quote/);
});

test('a GGUF file on llama.cpp with parameters, placement and category', () => {
  const { body, errors } = buildModel({
    name: 'qwen', source: 'local_path', backend: 'llama.cpp', local_path: ' /models/q.gguf ', replicas: '2',
    placement_strategy: 'binpack', category: 'embedding', backend_parameters: '-c 512',
  });
  assert.equal(errors, undefined);
  assert.deepEqual(body, {
    name: 'qwen', source: 'local_path', backend: 'llama.cpp', local_path: '/models/q.gguf', replicas: 2,
    placement_strategy: 'binpack', categories: ['embedding'], backend_parameters: ['-c', '512'],
  });
});

test('the bundled model needs the builtin backend', () => {
  assert.deepEqual(buildModel({ name: 'm', source: 'builtin', backend: 'builtin', replicas: '1' }).body,
    { name: 'm', source: 'builtin', backend: 'builtin', builtin_model: 'all-minilm-l6-v2', replicas: 1 });
  assert.match(buildModel({ name: 'm', source: 'builtin', backend: 'llama.cpp' }).errors.backend, /builtin backend/);
});

test('every field error is named at once', () => {
  const { errors } = buildModel({ name: '-bad name', source: 'local_path', backend: 'custom', local_path: 'rel.bin',
    replicas: '1001', backend_parameters: '"x' });
  assert.deepEqual(Object.keys(errors).sort(), ['backend_parameters', 'local_path', 'name', 'replicas', 'run_command']);
});

test('paths must be absolute and fit the backend', () => {
  assert.match(buildModel({ name: 'a', backend: 'llama.cpp', local_path: '' }).errors.local_path, /absolute path/);
  assert.match(buildModel({ name: 'a', backend: 'llama.cpp', local_path: '/m/x.bin' }).errors.local_path, /\.gguf/);
  assert.match(buildModel({ name: 'a', backend: 'builtin', local_path: '/m/x.bin' }).errors.local_path, /\.onnx/);
  assert.equal(buildModel({ name: 'a', backend: 'custom', local_path: '/m/x.bin', run_command: 's {{port}}' }).errors, undefined);
});

test('replicas 0 is allowed (deployed stopped); an empty name is refused', () => {
  assert.equal(buildModel({ name: 'a', backend: 'llama.cpp', local_path: '/m.gguf', replicas: '0' }).body.replicas, 0);
  assert.match(buildModel({ name: ' ', local_path: '/m.gguf' }).errors.name, /Give the model a name/);
});

test('a GPU engine takes an engine version; other backends leave it out', () => {
  assert.deepEqual(buildModel({ name: 'g', backend: 'vllm', local_path: '/models/qwen', backend_version: ' 0.11.2 ',
    replicas: '1' }).body, { name: 'g', source: 'local_path', backend: 'vllm', local_path: '/models/qwen',
    backend_version: '0.11.2', replicas: 1 });
  assert.equal(buildModel({ name: 'g', backend: 'llama.cpp', local_path: '/m.gguf', backend_version: '1' }).body
    .backend_version, undefined);
});

test('a Hugging Face GGUF names its repo and file; the token and endpoint go along only when given', () => {
  const { body, errors } = buildModel({
    name: 'qwen-hf', source: 'huggingface', backend: 'llama.cpp', repo: ' Qwen/Qwen2.5-0.5B-Instruct-GGUF ',
    file: '*q4_k_m*.gguf', revision: '', hub_endpoint: 'https://hf-mirror.com', hub_token: '', replicas: '1',
  });
  assert.equal(errors, undefined);
  assert.deepEqual(body, {
    name: 'qwen-hf', source: 'huggingface', backend: 'llama.cpp', repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
    file: '*q4_k_m*.gguf', hub_endpoint: 'https://hf-mirror.com', replicas: 1,
  });
});

test('a hub model without owner/name, GGUF file or http endpoint is refused field by field', () => {
  const { errors } = buildModel({ name: 'm', source: 'modelscope', backend: 'builtin', repo: 'just-a-name',
    hub_endpoint: 'ftp://x', replicas: '1' });
  assert.match(errors.repo, /owner\/name/);
  assert.match(errors.file, /GGUF/);
  assert.match(errors.hub_endpoint, /http/);
});
