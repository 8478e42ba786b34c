import test from 'node:test';
import assert from 'node:assert/strict';
import { describeLimits, describeQuota, limitsFromForm, namesFromText } from './limits.js';

test('a form with numbers becomes a limits object; empty fields set nothing', () => {
  assert.deepEqual(limitsFromForm({ requests_per_minute: '60', window_seconds: ' 10 ', tokens_per_day: '' }),
    { limits: { requests_per_minute: 60, window_seconds: 10 } });
  assert.deepEqual(limitsFromForm({}), { limits: null });
});

test('zero, negative, fractional and too long windows are errors naming the field', () => {
  const { errors } = limitsFromForm({ window_seconds: '0', requests_per_minute: '-1', tokens_per_day: '1.5' });
  assert.deepEqual(Object.keys(errors).sort(), ['requests_per_minute', 'tokens_per_day', 'window_seconds']);
  assert.ok(limitsFromForm({ window_seconds: '7200' }).errors.window_seconds.includes('3600'));
});

test('limits and quotas read as one line each', () => {
  assert.equal(describeLimits(null), 'none');
  assert.equal(describeLimits({ requests_per_minute: 60, tokens_per_day: 10000 }), '60 req/60 s · 10,000 tokens/day');
  assert.deepEqual(describeQuota({ tokens_per_day: { limit: 10000, used: 1200, remaining: 8800, resets_at: '2026-12-02T00:00:00Z' } }),
    ['1,200 of 10,000 tokens used today, 8,800 left (renews 2026-12-02 00:00 UTC)']);
});

test('cost budgets take amounts with decimals and read in the currency', () => {
  assert.deepEqual(limitsFromForm({ cost_per_day: '2.5', cost_per_month: '' }), { limits: { cost_per_day: 2.5 } });
  assert.deepEqual(Object.keys(limitsFromForm({ cost_per_month: '-1' }).errors), ['cost_per_month']);
  assert.equal(describeLimits({ cost_per_day: 2.5 }), '2.5 per day');
  assert.deepEqual(describeQuota({ cost_per_month: { limit: 5, used: 1.25, remaining: 3.75, currency: 'EUR',
    resets_at: '2027-01-01T00:00:00Z' } }), ['1.25 of 5.00 EUR spent this month, 3.75 EUR left (renews 2027-01-01 00:00 UTC)']);
});

test('names are split on commas without blanks or duplicates', () => {
  assert.deepEqual(namesFromText(' a, b ,,a '), ['a', 'b']);
});
