// Limits and quotas as the console shows and edits them: pure functions, tested with node --test.

export const LIMIT_FIELDS = [
  ['requests_per_minute', 'Requests / window'],
  ['tokens_per_minute', 'Tokens / window'],
  ['concurrent_requests', 'Concurrent requests'],
  ['window_seconds', 'Window (s)'],
  ['tokens_per_day', 'Tokens / day'],
  ['tokens_per_month', 'Tokens / month'],
  ['cost_per_day', 'Cost / day'],
  ['cost_per_month', 'Cost / month'],
];

/** Fields that take an amount of the node's currency (decimals allowed) rather than a whole number. */
const COST_FIELDS = new Set(['cost_per_day', 'cost_per_month']);

/** The limits object of a form's text values ({field: "text"}), or {errors} naming each wrong field; null: no limits. */
export function limitsFromForm(values) {
  const limits = {};
  const errors = {};
  for (const [name] of LIMIT_FIELDS) {
    const text = String(values[name] ?? '').trim();
    if (!text) continue;
    const n = Number(text);
    if (COST_FIELDS.has(name)) {
      if (!Number.isFinite(n) || n <= 0) errors[name] = 'An amount above 0 (e.g. 2.50), or empty for no budget.';
      else limits[name] = n;
    } else if (!Number.isInteger(n) || n < 1) errors[name] = 'A whole number of at least 1, or empty for no limit.';
    else if (name === 'window_seconds' && n > 3600) errors[name] = 'At most 3600 seconds.';
    else limits[name] = n;
  }
  if (Object.keys(errors).length) return { errors };
  return { limits: Object.keys(limits).length ? limits : null };
}

/** One line saying what limits apply ("60 req/60 s · 10,000 tokens/day"), or "none". */
export function describeLimits(limits) {
  if (!limits) return 'none';
  const w = limits.window_seconds || 60;
  const parts = [];
  if (limits.requests_per_minute) parts.push(`${limits.requests_per_minute} req/${w} s`);
  if (limits.tokens_per_minute) parts.push(`${limits.tokens_per_minute.toLocaleString('en')} tokens/${w} s`);
  if (limits.concurrent_requests) parts.push(`${limits.concurrent_requests} at once`);
  if (limits.tokens_per_day) parts.push(`${limits.tokens_per_day.toLocaleString('en')} tokens/day`);
  if (limits.tokens_per_month) parts.push(`${limits.tokens_per_month.toLocaleString('en')} tokens/month`);
  if (limits.cost_per_day) parts.push(`${limits.cost_per_day} per day`);
  if (limits.cost_per_month) parts.push(`${limits.cost_per_month} per month`);
  return parts.length ? parts.join(' · ') : 'none';
}

/** "1,200 of 10,000 tokens used today, 8,800 left" (and "1.50 of 5.00 USD spent today") lines of a quota object. */
export function describeQuota(quota) {
  if (!quota) return [];
  const lines = [];
  for (const [key, period] of [['tokens_per_day', 'today'], ['tokens_per_month', 'this month']]) {
    const q = quota[key];
    if (q) lines.push(`${q.used.toLocaleString('en')} of ${q.limit.toLocaleString('en')} tokens used ${period}, `
      + `${q.remaining.toLocaleString('en')} left (renews ${new Date(q.resets_at).toISOString().slice(0, 16).replace('T', ' ')} UTC)`);
  }
  for (const [key, period] of [['cost_per_day', 'today'], ['cost_per_month', 'this month']]) {
    const q = quota[key];
    if (q) lines.push(`${money(q.used)} of ${money(q.limit)} ${q.currency} spent ${period}, ${money(q.remaining)} `
      + `${q.currency} left (renews ${new Date(q.resets_at).toISOString().slice(0, 16).replace('T', ' ')} UTC)`);
  }
  return lines;
}

function money(amount) {
  return amount.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

/** Comma-separated names → array (empty entries dropped, duplicates removed). */
export function namesFromText(text) {
  return [...new Set(String(text || '').split(',').map((n) => n.trim()).filter(Boolean))];
}
