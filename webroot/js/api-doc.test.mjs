import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { curl, exampleBody, fields, groups, matching, operations, rule } from './api-doc.js';

const served = JSON.parse(readFileSync(new URL('../../src/main/resources/openapi.json', import.meta.url), 'utf8'));

test('the served document groups the OpenAI-compatible operations first, with their bodies', () => {
  const tags = groups(served);
  assert.equal(tags[0].name, 'openai');
  const chat = tags[0].operations.find((o) => o.path === '/v1/chat/completions');
  assert.equal(chat.method, 'POST');
  assert.equal(chat.body.name, 'ChatCompletionRequest');
  assert.ok(chat.streams);
  assert.ok(chat.responses.some((r) => r.status === '404' && r.schema === 'OpenAiError'));
  assert.ok(tags.some((t) => t.name === 'models' && t.operations.some((o) => o.id === 'post-v2-models')));
});

test('fields say the rule of each property in words', () => {
  const model = fields(served.components.schemas.ModelCreate);
  const name = model.find((f) => f.name === 'name');
  assert.equal(name.required, true);
  assert.match(name.rule, /1 to 128 letters, digits/);
  assert.match(model.find((f) => f.name === 'builtin_model').rule, /one of: all-minilm-l6-v2/);
  assert.match(model.find((f) => f.name === 'replicas').rule, /^0 to 1000$/);
  assert.equal(rule({ type: 'string', minLength: 8, maxLength: 1024 }), '8 to 1024 characters');
});

test('curl uses the example body, a key unless the operation is public, and -N for streams', () => {
  const ops = operations(served);
  const chat = ops.find((o) => o.id === 'post-v1-chat-completions');
  const command = curl(chat, 'http://localhost:8080');
  assert.match(command, /^curl -X POST 'http:\/\/localhost:8080\/v1\/chat\/completions' \\\n {2}-N/);
  assert.match(command, /Authorization: Bearer \$GANTRY_API_KEY/);
  assert.match(command, /"messages":\[\{"role":"user"/);
  const live = ops.find((o) => o.path === '/health/live');
  assert.equal(curl(live, 'http://n1'), "curl -X GET 'http://n1/health/live'");
});

test('an example body is made from the required fields when the document has none', () => {
  const op = { body: { schema: { required: ['name', 'scope', 'replicas'], properties: {
    name: { type: 'string' }, scope: { enum: ['inference', '*'] }, replicas: { type: 'integer', minimum: 0 } } } } };
  assert.deepEqual(exampleBody(op), { name: 'name', scope: 'inference', replicas: 0 });
  assert.equal(exampleBody({ body: null }), null);
});

test('matching filters by method, path, summary or tag', () => {
  const ops = operations(served);
  assert.ok(matching(ops, 'embeddings').every((o) => /embed/i.test(`${o.path} ${o.summary}`)));
  assert.equal(matching(ops, '').length, ops.length);
  assert.ok(matching(ops, 'post /v1').length >= 3);
});
