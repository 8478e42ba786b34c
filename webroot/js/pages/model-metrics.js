// The "Metrics over time" panel of a model card: its engines' and the gateway's history over 1 h, 24 h or
// 30 d (GET /v2/metrics/models/{name}), fetched when opened and every POLL_MS while it stays open.

import { h, loading, mount } from '../dom.js';
import { get, seg } from '../api.js';
import { lineChart } from '../charts.js';
import { RANGES, timeLabel } from '../node-history.js';
import { latest, modelCharts } from '../model-history.js';

const POLL_MS = 10_000;

export function modelMetrics(name) {
  let range = RANGES[0];
  let timer = null;
  const charts = h('div', { class: 'history-charts' }, loading('Loading history…'));
  const buttons = RANGES.map((r) => h('button', { type: 'button', class: 'secondary small', 'data-range': r,
    'aria-pressed': String(r === range), onclick: () => choose(r) }, r));
  const el = h('details', { class: 'model-metrics', 'data-test': 'model-metrics',
    ontoggle: () => (el.open ? start() : stop()) },
  h('summary', {}, 'Metrics over time'),
  h('div', { class: 'history-head' }, h('span', { class: 'small muted' }, 'Engines and gateway'),
    h('div', { class: 'range-switch', role: 'group', 'aria-label': 'Range' }, buttons)), charts);

  function choose(next) {
    range = next;
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === range)));
    load();
  }

  function start() {
    load();
    timer ??= setInterval(() => (el.isConnected && el.open ? load() : stop()), POLL_MS);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  async function load() {
    const asked = range;
    let history;
    try {
      history = await get(`/v2/metrics/models/${seg(name)}?range=${asked}`);
    } catch (e) {
      if (asked === range) mount(charts, h('p', { class: 'chart-empty muted' }, `History unavailable: ${e.message}`));
      return;
    }
    if (asked === range && el.isConnected) draw(history);
  }

  function draw(history) {
    const specs = modelCharts(history);
    if (!specs.length) {
      mount(charts, h('p', { class: 'chart-empty muted' }, 'No samples yet: they appear once a replica runs.'));
      return;
    }
    const xFormat = timeLabel(history.range);
    const boxes = specs.map((spec) => ({ spec, chart: h('div', { class: 'history-chart', 'data-chart': spec.id }) }));
    mount(charts, boxes.map(({ spec, chart }) => h('div', { class: 'history-device' },
      h('div', { class: 'small' }, spec.title, h('span', { class: 'muted' }, ` · ${latest(spec)}`)), chart)));
    boxes.forEach(({ spec, chart }) => lineChart(chart, { series: spec.series, yMax: spec.yMax, xFormat, height: 120,
      yFormat: (v) => `${Number(v.toPrecision(3))}${spec.unit === '%' ? '%' : ''}`,
      label: `${spec.title} of ${name}${spec.unit ? `, ${spec.unit}` : ''}, last ${history.range}`,
      emptyText: 'Collecting samples…' }));
  }

  return { el };
}
