import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTargets, targetLabel } from './route-form.js';

test('targets read with weights, provider models and blanks', () => {
  assert.deepEqual(parseTargets('qwen:3, deepseek/deepseek-chat ,, llama'), [
    { model: 'qwen', weight: 3 },
    { model: { provider: 'deepseek', model: 'deepseek-chat' }, weight: 1 },
    { model: 'llama', weight: 1 }]);
});

test('fallbacks carry no weight and a colon that is no weight stays in the name', () => {
  assert.deepEqual(parseTargets('gpt:4o-mini', false), [{ model: 'gpt:4o-mini' }]);
  assert.deepEqual(parseTargets('model:v2', true), [{ model: 'model:v2', weight: 1 }]);
});

test('labels show weights other than 1 and provider models by their full name', () => {
  assert.equal(targetLabel({ model: 'qwen', weight: 3 }), 'qwen ×3');
  assert.equal(targetLabel({ model: { provider: 'p', model: 'm' }, weight: 1 }), 'p/m');
});
