import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidateRows, describeMeasured, describeValues, progressText, startBody } from './tuning-view.js';

test('progress reads as candidate i of n, then the outcome', () => {
  assert.equal(progressText({ state: 'running', progress: { candidate: 2, total: 4, step: 'benchmarking' } }),
    'candidate 2 of 4: benchmarking');
  assert.equal(progressText({ state: 'running', progress: { candidate: 0, total: 4 } }), 'starting');
  assert.equal(progressText({ state: 'completed', message: 'candidate 2 of 2 won' }), 'candidate 2 of 2 won');
});

test('candidates show what they try, their figures and the winner', () => {
  const rows = candidateRows({ candidates: [
    { index: 1, values: { backend_parameters: ['--ctx-size', '4096'], replicas: 2 }, state: 'measured',
      figures: { output_token_throughput: 120.5, ttft_p95_ms: 80, tpot_p95_ms: 9, sla_met: true }, winner: true },
    { index: 2, values: { backend_parameters: [] }, state: 'failed', message: 'a replica failed' },
  ] });
  assert.deepEqual(rows[0], { index: 1, values: 'backend_parameters=--ctx-size 4096, replicas=2', state: 'measured', message: '',
    tokensPerSecond: 120.5, ttftP95: 80, tpotP95: 9, sla: 'met', winner: true });
  assert.equal(rows[1].winner, false);
  assert.equal(rows[1].sla, '');
  assert.equal(rows[1].message, 'a replica failed');
  assert.equal(describeValues({ env: { A: '1' } }), 'env={"A":"1"}');
  assert.equal(describeValues({ backend_parameters: [] }), 'backend_parameters=(none)');
});

test('the start body takes the form and says what is wrong', () => {
  assert.deepEqual(startBody({ family: ' tiny ', spec: 'tiny-cpu', grid: '{"replicas":[1,2]}', requests: '20', concurrency: '2',
    maxTokens: '16', sla: 'chat' }).body, { family: 'tiny', spec: 'tiny-cpu', grid: { replicas: [1, 2] }, sla: 'chat',
    profile: { requests: 20, concurrency: 2, max_tokens: 16 } });
  assert.equal(startBody({ family: 'x', grid: '', requests: 1, concurrency: 1, maxTokens: 1 }).body.grid, undefined);
  assert.match(startBody({ family: '' }).error, /family/);
  assert.match(startBody({ family: 'x', grid: '{nope' }).error, /not valid JSON/);
  assert.match(startBody({ family: 'x', grid: '[1]' }).error, /JSON object/);
});

test('a measured catalog spec says what was measured; a curated one says nothing', () => {
  assert.equal(describeMeasured({ source: 'measured', figures: { output_token_throughput: 412.5, ttft_p95_ms: 84.6, sla: 'chat',
    sla_met: true } }), 'measured on this cluster: 412.5 tokens/s, TTFT p95 85 ms, SLA chat met');
  assert.equal(describeMeasured({ source: 'measured', figures: { output_token_throughput: 3, ttft_p95_ms: null,
    sla: { preset: 'custom' }, sla_met: false } }), 'measured on this cluster: 3 tokens/s, SLA custom missed');
  assert.equal(describeMeasured({ id: 'tiny-chat-cpu' }), '');
});
