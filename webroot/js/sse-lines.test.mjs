import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEventStream, sseParser } from './sse-lines.js';

test('complete events give their data; comments and other fields are skipped', () => {
  const parser = sseParser();
  assert.deepEqual(parser.push(': keep-alive\n\nevent: x\nid: 3\ndata: {"a":1}\n\ndata: two\n\n'), ['{"a":1}', 'two']);
});

test('an event split anywhere, even inside a CRLF, is joined', () => {
  const text = 'data: {"content":"Hel"}\r\n\r\ndata: {"content":"lo"}\r\n\r\ndata: [DONE]\r\n\r\n';
  for (let cut = 1; cut < text.length; cut++) {
    const parser = sseParser();
    const got = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
    assert.deepEqual(got, ['{"content":"Hel"}', '{"content":"lo"}', '[DONE]'], `cut at ${cut}`);
  }
});

test('several data lines of one event are joined with newlines; "data:" without a space works', () => {
  const parser = sseParser();
  assert.deepEqual(parser.push('data:a\ndata: b\n\n'), ['a\nb']);
});

test('a last event without a blank line is given at the end', () => {
  const parser = sseParser();
  assert.deepEqual(parser.push('data: x\n'), []);
  assert.deepEqual(parser.end(), ['x']);
});

test('readEventStream parses JSON chunks from a byte stream and stops at [DONE]', async () => {
  const bytes = new TextEncoder().encode('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\ndata: {"n":3}\n\n');
  const body = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
  const seen = [];
  const done = await readEventStream(body, (chunk) => seen.push(chunk.n));
  assert.deepEqual(seen, [1, 2]);
  assert.equal(done, true);
});
