// Small pure formatting helpers shared by the pages.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  let value = Number(n);
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function number(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3)}k`;
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(abs < 1 ? 2 : 1)));
}

function trim(value) {
  return value.toFixed(value < 10 ? 1 : 0).replace(/\.0$/, '');
}

export function percent(part, whole) {
  if (!whole) return 0;
  return Math.max(0, Math.min(100, (100 * part) / whole));
}

/** "12 s ago", "3 min ago", "2 h ago", "4 d ago" relative to now (ms). */
export function ago(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Local time of day, HH:MM:SS. */
export function clock(ms) {
  return new Date(ms).toTimeString().slice(0, 8);
}

/** Labels as `key=value` lines (what the label editor shows). */
export function labelsToText(labels) {
  return Object.entries(labels || {}).map(([k, v]) => `${k}=${v}`).join('\n');
}

/** Parses `key=value` pairs separated by newlines or commas; answers {labels} or {error}. */
export function parseLabels(text) {
  const labels = {};
  for (const raw of text.split(/[\n,]/)) {
    const pair = raw.trim();
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) return { error: `"${pair}" is not key=value` };
    const key = pair.slice(0, eq).trim();
    if (!/^\S+$/.test(key)) return { error: `"${key}" is not a valid label key` };
    labels[key] = pair.slice(eq + 1).trim();
  }
  return { labels };
}
