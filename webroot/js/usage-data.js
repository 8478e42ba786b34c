// Pure helpers for usage numbers: days without traffic, rates from polled totals, CSV.

const DAY_MS = 86400000;

/** The UTC days from `from` to `to` (inclusive), as YYYY-MM-DD. */
export function days(from, to) {
  const out = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The numbers of a /v2/usage item. */
export const COUNTS = ['request_count', 'succeeded_count', 'failed_count', 'cancelled_count',
  'status_2xx', 'status_4xx', 'status_5xx', 'prompt_tokens', 'completion_tokens'];

/** group_by=day items spread over every day of the range, zeros where nothing was used. */
export function fillDays(items, from, to) {
  const byDay = new Map(items.map((item) => [item.day, item]));
  return days(from, to).map((day) => Object.fromEntries([['day', day],
    ...COUNTS.map((count) => [count, byDay.get(day)?.[count] ?? 0])]));
}

/**
 * Per-minute rates between successive samples of the totals ({t, requests, tokens}).
 * A total that went down (another day began, or a restart) starts over at that sample.
 */
export function ratesPerMinute(samples) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const minutes = (b.t - a.t) / 60000;
    if (minutes <= 0 || b.requests < a.requests || b.tokens < a.tokens) continue;
    out.push({ t: b.t, requests: (b.requests - a.requests) / minutes, tokens: (b.tokens - a.tokens) / minutes });
  }
  return out;
}

/**
 * RFC 4180 CSV: a header row of column labels, then the rows; fields quoted when needed. A text cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR: a model or user name chosen by
 * someone else) is prefixed with ' so it stays text; numbers stay numbers.
 */
export function toCsv(rows, columns) {
  const field = (value) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [columns.map((c) => field(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
