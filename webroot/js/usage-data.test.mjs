import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosine, days, fillDays, ratesPerMinute, toCsv } from './usage-data.js';
import { ago, bytes, number, parseLabels } from './format.js';

test('days and fillDays cover the range with zeros where nothing was used', () => {
  assert.deepEqual(days('2025-02-27', '2025-03-01'), ['2025-02-27', '2025-02-28', '2025-03-01']);
  const filled = fillDays([{ day: '2025-02-28', request_count: 3, failed_count: 1, prompt_tokens: 10, completion_tokens: 5 }],
    '2025-02-27', '2025-03-01');
  assert.deepEqual(filled.map((d) => d.request_count), [0, 3, 0]);
  assert.deepEqual(filled.map((d) => d.failed_count), [0, 1, 0]);
  assert.equal(filled[0].status_5xx, 0);
  assert.equal(filled[1].prompt_tokens, 10);
});

test('ratesPerMinute from polled totals; a total that went down starts over', () => {
  const rates = ratesPerMinute([
    { t: 0, requests: 10, tokens: 100 },
    { t: 30000, requests: 13, tokens: 160 },
    { t: 60000, requests: 1, tokens: 5 },
    { t: 120000, requests: 3, tokens: 25 },
  ]);
  assert.deepEqual(rates, [{ t: 30000, requests: 6, tokens: 120 }, { t: 120000, requests: 2, tokens: 20 }]);
});

test('toCsv quotes commas, quotes, newlines and edge spaces', () => {
  const csv = toCsv([{ m: 'a,b', n: 1 }, { m: 'say "hi"', n: null }, { m: ' x', n: 0 }],
    [{ label: 'model', value: (r) => r.m }, { label: 'requests', value: (r) => r.n }]);
  assert.equal(csv, 'model,requests\r\n"a,b",1\r\n"say ""hi""",\r\n" x",0\r\n');
});

test('toCsv keeps formula-looking text cells as text and numbers as numbers', () => {
  const names = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', 'ok-model'];
  const csv = toCsv(names.map((m) => ({ m, n: -5 })),
    [{ label: 'model', value: (r) => r.m }, { label: 'n', value: (r) => r.n }]);
  assert.equal(csv, 'model,n\r\n'
    + '"\'=HYPERLINK(""http://x"")",-5\r\n'
    + "'+1+1,-5\r\n"
    + "'-2+3,-5\r\n"
    + "'@SUM(A1),-5\r\n"
    + "'\tcmd,-5\r\n"
    + '"\'\rcmd",-5\r\n'
    + 'ok-model,-5\r\n');
});

test('cosine similarity', () => {
  assert.equal(cosine([1, 0], [1, 0]), 1);
  assert.equal(cosine([1, 0], [0, 2]), 0);
  assert.ok(Math.abs(cosine([1, 1], [-1, -1]) + 1) < 1e-12);
  assert.equal(cosine([0, 0], [1, 1]), 0);
});

test('bytes, number and ago', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(25276510208), '24 GiB');
  assert.equal(number(12345), '12k');
  assert.equal(number(2500000), '2.5M');
  assert.equal(number(7), '7');
  assert.equal(number(2.5), '2.5');
  assert.equal(number(0.25), '0.25');
  assert.equal(number(47.99), '48');
  assert.equal(ago('2025-01-01T00:00:00Z', Date.parse('2025-01-01T00:02:05Z')), '2 min ago');
});

test('parseLabels reads key=value by line or comma and names a bad pair', () => {
  assert.deepEqual(parseLabels('gpu=a100\n zone = eu-1 , rack=7\n\n'), { labels: { gpu: 'a100', zone: 'eu-1', rack: '7' } });
  assert.deepEqual(parseLabels(''), { labels: {} });
  assert.match(parseLabels('novalue').error, /"novalue" is not key=value/);
  assert.match(parseLabels('bad key=1').error, /not a valid label key/);
});
