// Prices of model/route names (per million prompt and completion tokens, in the node's --currency) and
// costs as the console shows and edits them: pure functions, tested with node --test.

export const PRICE_FIELDS = [
  ['prompt_per_million', 'Prompt / 1M tokens'],
  ['completion_per_million', 'Completion / 1M tokens'],
];

/**
 * The prices object of a form's text values, or {errors} for what is not a number at all; null: no prices.
 * Ranges (negative, too large) are left to the API, whose message names the field.
 */
export function pricesFromForm(values) {
  const prices = {};
  const errors = {};
  for (const [name] of PRICE_FIELDS) {
    const text = String(values[name] ?? '').trim();
    if (!text) continue;
    const n = Number(text);
    if (!Number.isFinite(n)) errors[name] = 'A price such as 0.50, or empty for none.';
    else prices[name] = n;
  }
  if (Object.keys(errors).length) return { errors };
  return { prices: Object.keys(prices).length ? prices : null };
}

/** "0.5 / 1.5 USD per 1M prompt / completion tokens", or "none". */
export function describePrices(prices, currency) {
  if (!prices) return 'none';
  const p = prices.prompt_per_million ?? 0;
  const c = prices.completion_per_million ?? 0;
  return `${money(p)} / ${money(c)} ${currency || ''} per 1M prompt / completion tokens`.replace('  ', ' ');
}

/** An amount of the currency as the console prints it ("1.25", "0.000150"); null or undefined: "—". */
export function money(amount) {
  if (amount === null || amount === undefined) return '—';
  return amount.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}
