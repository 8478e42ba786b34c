import test from 'node:test';
import assert from 'node:assert/strict';
import { describePrices, money, pricesFromForm } from './prices.js';

test('a form with prices becomes a prices object; empty fields set nothing', () => {
  assert.deepEqual(pricesFromForm({ prompt_per_million: ' 0.5 ', completion_per_million: '1.5' }),
    { prices: { prompt_per_million: 0.5, completion_per_million: 1.5 } });
  assert.deepEqual(pricesFromForm({ prompt_per_million: '2' }), { prices: { prompt_per_million: 2 } });
  assert.deepEqual(pricesFromForm({}), { prices: null });
});

test('text that is no number is an error naming the field; a negative number is left to the API', () => {
  assert.deepEqual(Object.keys(pricesFromForm({ prompt_per_million: 'cheap' }).errors), ['prompt_per_million']);
  assert.deepEqual(pricesFromForm({ completion_per_million: '-1' }), { prices: { completion_per_million: -1 } });
});

test('prices and amounts read with the currency', () => {
  assert.equal(describePrices(null, 'USD'), 'none');
  assert.equal(describePrices({ prompt_per_million: 0.5, completion_per_million: 1.5 }, 'EUR'),
    '0.50 / 1.50 EUR per 1M prompt / completion tokens');
  assert.equal(money(0.00015), '0.00015');
  assert.equal(money(null), '—');
});
