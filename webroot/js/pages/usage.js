// Usage of the gateway: requests (succeeded, failed, cancelled) and tokens per day, and by model, user or
// API key, as charts and a table, with the table as a CSV download; filtered by outcome if asked.
// Tokens count only requests that did not fail. Non-admins see only their own usage (the API filters).

import { empty, errorBox, h, loading, mount } from '../dom.js';
import { get } from '../api.js';
import { barChart } from '../charts.js';
import { number } from '../format.js';
import { fillDays, isoDay, toCsv } from '../usage-data.js';
import { money } from '../prices.js';

const DAY_MS = 86400000;
const OUTCOMES = { '': 'All requests', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' };
const GROUPS = {
  day: { label: 'Day', name: (r) => r.day },
  model: { label: 'Model', name: (r) => r.model ?? '(no model)' },
  user: { label: 'User', name: (r) => r.username || `#${r.user_id}` },
  key: { label: 'API key', name: (r, keys) => (r.api_key_id ? keys.get(r.api_key_id) || r.api_key_id : 'console / session') },
};

export default function render(main, { params }) {
  const range = h('select', { id: 'usage-range' }, [7, 30, 90].map((d) =>
    h('option', { value: d, selected: String(d) === (params.get('days') || '30') }, `Last ${d} days`)));
  const groupBy = h('select', { id: 'usage-group', 'data-test': 'usage-group' }, ['model', 'user', 'key', 'day'].map((g) =>
    h('option', { value: g, selected: g === (params.get('by') || 'model') }, `By ${GROUPS[g].label.toLowerCase()}`)));
  const outcome = h('select', { id: 'usage-outcome', 'data-test': 'usage-outcome' }, Object.entries(OUTCOMES).map(([value, text]) =>
    h('option', { value, selected: value === (params.get('outcome') || '') }, text)));
  const download = h('button', { class: 'secondary', 'data-test': 'csv', disabled: true }, 'Download CSV');
  const overTime = { tokens: h('div', { class: 'chart-box' }), requests: h('div', { class: 'chart-box' }) };
  const breakdownChart = h('div', { class: 'chart-box' });
  const table = h('div', { class: 'table-wrap', 'data-test': 'usage-table' }, loading());
  const status = h('div', {});
  let data = null;
  let controller = null;

  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Usage'),
      h('div', { class: 'toolbar' }, h('label', { for: 'usage-outcome', class: 'sr-only' }, 'Outcome'), outcome,
        h('label', { for: 'usage-range', class: 'sr-only' }, 'Range'), range)),
    status,
    h('div', { class: 'grid two' },
      h('section', { class: 'card' }, h('h2', {}, 'Tokens per day'), overTime.tokens),
      h('section', { class: 'card' }, h('h2', {}, 'Requests per day'), overTime.requests)),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Breakdown'),
        h('div', { class: 'toolbar' }, h('label', { for: 'usage-group', class: 'sr-only' }, 'Group by'), groupBy, download)),
      breakdownChart, table));

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const days = Number(range.value);
    const to = isoDay(Date.now());
    const from = isoDay(Date.now() - (days - 1) * DAY_MS);
    const only = outcome.value ? `&outcome=${outcome.value}` : '';
    const q = (g) => get(`/v2/usage?group_by=${g}&from=${from}&to=${isoDay(Date.now() + DAY_MS)}${only}`, { signal: controller.signal });
    mount(status);
    try {
      const [day, model, user, key, keys] = await Promise.all([q('day'), q('model'), q('user'), q('key'),
        get('/v2/api-keys?perPage=1000', { signal: controller.signal }).catch(() => ({ items: [] }))]);
      data = { from, to, day: fillDays(day.items, from, to), model: model.items, user: user.items, key: key.items,
        keys: new Map(keys.items.map((k) => [k.id, k.name])), currency: model.currency || '' };
      draw();
    } catch (e) {
      if (e.name !== 'AbortError') mount(status, errorBox(e));
    }
  }

  function draw() {
    const labels = data.day.map((d) => d.day);
    const short = (day) => day.slice(5);
    barChart(overTime.tokens, { labels, labelFormat: short, yFormat: number, label: 'Tokens per day',
      series: [{ name: 'prompt', values: data.day.map((d) => d.prompt_tokens) }, { name: 'completion', values: data.day.map((d) => d.completion_tokens) }],
      emptyText: 'No tokens in this range.' });
    barChart(overTime.requests, { labels, labelFormat: short, yFormat: number, label: 'Requests per day',
      series: [{ name: 'succeeded', values: data.day.map((d) => d.succeeded_count) },
        { name: 'failed', values: data.day.map((d) => d.failed_count) },
        { name: 'cancelled', values: data.day.map((d) => d.cancelled_count) }],
      emptyText: 'No requests in this range.' });
    drawBreakdown();
  }

  function drawBreakdown() {
    const group = GROUPS[groupBy.value];
    const rows = (groupBy.value === 'day' ? data.day.filter((d) => d.request_count) : data[groupBy.value])
      .map((r) => ({ name: group.name(r, data.keys), requests: r.request_count, succeeded: r.succeeded_count,
        failed: r.failed_count, cancelled: r.cancelled_count, s2xx: r.status_2xx, s4xx: r.status_4xx, s5xx: r.status_5xx,
        prompt: r.prompt_tokens, completion: r.completion_tokens, cost: r.cost ?? null }))
      .sort((a, b) => (groupBy.value === 'day' ? a.name.localeCompare(b.name)
        : (b.prompt + b.completion) - (a.prompt + a.completion) || b.requests - a.requests));
    download.disabled = !rows.length;
    download.onclick = () => saveCsv(rows, group.label, data.currency,
      `gantry-usage-${outcome.value ? `${outcome.value}-` : ''}by-${groupBy.value}-${data.from}-${data.to}.csv`);
    if (!rows.length) {
      mount(breakdownChart);
      mount(table, empty(outcome.value ? `No ${outcome.value} requests in this range` : 'No usage in this range',
        'Requests through /v1 (with a key or from the playground) appear here.'));
      return;
    }
    const top = rows.slice(0, 12);
    barChart(breakdownChart, { labels: top.map((r) => r.name), yFormat: number, label: `Tokens by ${group.label.toLowerCase()}`,
      labelFormat: (n) => (n.length > 14 ? `${n.slice(0, 13)}…` : n),
      series: [{ name: 'prompt', values: top.map((r) => r.prompt) }, { name: 'completion', values: top.map((r) => r.completion) }] });
    const total = { name: 'Total' };
    for (const field of ['requests', 'failed', 'cancelled', 'prompt', 'completion']) total[field] = rows.reduce((t, r) => t + r[field], 0);
    total.cost = rows.some((r) => r.cost !== null) ? rows.reduce((t, r) => t + (r.cost ?? 0), 0) : null;
    const costLabel = `Cost (${data.currency})`;
    const row = (r) => h('tr', {}, h('th', { scope: 'row', 'data-label': group.label }, r.name),
      h('td', { class: 'num', 'data-label': 'Requests' }, r.requests.toLocaleString()),
      h('td', { class: `num${r.failed ? ' failed' : ''}`, 'data-label': 'Failed', 'data-test': 'failed' }, r.failed.toLocaleString()),
      h('td', { class: 'num', 'data-label': 'Cancelled' }, r.cancelled.toLocaleString()),
      h('td', { class: 'num', 'data-label': 'Prompt tokens' }, r.prompt.toLocaleString()),
      h('td', { class: 'num', 'data-label': 'Completion tokens' }, r.completion.toLocaleString()),
      h('td', { class: 'num', 'data-label': 'Total tokens' }, (r.prompt + r.completion).toLocaleString()),
      h('td', { class: 'num', 'data-label': costLabel, 'data-test': 'cost' }, money(r.cost)));
    mount(table, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, [group.label, 'Requests', 'Failed', 'Cancelled', 'Prompt tokens', 'Completion tokens', 'Total tokens', costLabel]
        .map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
      h('tbody', {}, rows.map(row)),
      h('tfoot', {}, row(total))));
  }

  range.addEventListener('change', load);
  outcome.addEventListener('change', load);
  groupBy.addEventListener('change', () => data && drawBreakdown());
  load();
  return () => controller?.abort();
}

function saveCsv(rows, label, currency, filename) {
  const csv = toCsv(rows, [
    { label: label.toLowerCase().replace(' ', '_'), value: (r) => r.name },
    { label: 'requests', value: (r) => r.requests },
    { label: 'succeeded', value: (r) => r.succeeded },
    { label: 'failed', value: (r) => r.failed },
    { label: 'cancelled', value: (r) => r.cancelled },
    { label: 'status_2xx', value: (r) => r.s2xx },
    { label: 'status_4xx', value: (r) => r.s4xx },
    { label: 'status_5xx', value: (r) => r.s5xx },
    { label: 'prompt_tokens', value: (r) => r.prompt },
    { label: 'completion_tokens', value: (r) => r.completion },
    { label: 'total_tokens', value: (r) => r.prompt + r.completion },
    { label: `cost_${currency.toLowerCase()}`, value: (r) => r.cost ?? '' }]);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
