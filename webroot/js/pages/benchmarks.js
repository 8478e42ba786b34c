// Benchmarks: run a load profile against a deployed model through the gateway and compare runs:
// time to first token, time per output token, throughput, errors and the SLA verdict, with a plot of
// every request's TTFT and latency over the run.

import { badge, busy, empty, errorBox, field, h, loading, mount, toast } from '../dom.js';
import { del, get, post, seg } from '../api.js';
import { lineChart } from '../charts.js';
import { ago } from '../format.js';
import { tuningSection } from './tuning-runs.js';

const ms = (v) => (v === undefined || v === null ? '–' : `${Number(v).toFixed(v < 10 ? 1 : 0)} ms`);
const ENDED = new Set(['completed', 'cancelled', 'failed']);

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  const list = h('div', { class: 'card', 'data-test': 'benchmark-list' }, loading());
  const detail = h('div', { 'data-test': 'benchmark-detail' });
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Benchmarks')),
    h('p', { class: 'muted lead' }, 'Load a deployed model through the gateway, as clients do, and keep what it measured ',
      'with the model\'s settings and the hardware it ran on.'),
    admin && startForm(() => refresh()), list, detail);
  const tuning = tuningSection(admin);
  main.append(tuning.section);

  let timer = null;
  let stopped = false;
  async function refresh() {
    try {
      const { items } = await get('/v2/benchmarks');
      if (stopped) return;
      drawList(items);
      clearTimeout(timer);
      if (items.some((run) => !ENDED.has(run.state))) timer = setTimeout(refresh, 1500);
    } catch (e) {
      if (!stopped) mount(list, errorBox(e));
    }
  }

  function drawList(items) {
    if (!items.length) {
      mount(list, empty('No benchmark yet', admin ? 'Start one above.' : 'An administrator starts benchmarks.'));
      return;
    }
    mount(list, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Model', 'State', 'Requests', 'TTFT p95', 'TPOT p95', 'Tokens/s', 'SLA', 'Started', '']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((run) => runRow(run)))));
  }

  function runRow(run) {
    const r = run.results || {};
    const progress = run.progress?.total ? `${run.progress.completed} / ${run.progress.total}` : '';
    const sla = r.sla ? badge(r.sla.met ? 'ok' : 'failed', r.sla.met ? `${r.sla.preset}: met` : `${r.sla.preset}: missed`) : '–';
    const cancel = admin && !ENDED.has(run.state) && h('button', { class: 'secondary small', 'data-test': 'benchmark-cancel',
      onclick: () => busy(cancel, () => del(`/v2/benchmarks/${seg(run.id)}`).then(refresh)) }, 'Cancel');
    return h('tr', { 'data-benchmark': run.id, 'data-state': run.state },
      h('td', { 'data-label': 'Model' }, h('a', { href: '#', onclick: (e) => { e.preventDefault(); show(run.id); } }, run.model)),
      h('td', { 'data-label': 'State' }, badge(run.state === 'completed' ? 'ok' : run.state, run.state), run.message && h('p', { class: 'small muted' }, run.message)),
      h('td', { 'data-label': 'Requests' }, r.requests !== undefined ? `${r.succeeded} ok, ${r.failed} failed` : progress),
      h('td', { 'data-label': 'TTFT p95' }, ms(r.ttft_ms?.p95)),
      h('td', { 'data-label': 'TPOT p95' }, ms(r.tpot_ms?.p95)),
      h('td', { 'data-label': 'Tokens/s' }, r.output_token_throughput ?? '–'),
      h('td', { 'data-label': 'SLA' }, sla),
      h('td', { 'data-label': 'Started' }, ago(run.created_at)),
      h('td', {}, cancel || ''));
  }

  async function show(id) {
    mount(detail, h('div', { class: 'card' }, loading()));
    try {
      const run = await get(`/v2/benchmarks/${seg(id)}`);
      mount(detail, runDetail(run));
    } catch (e) {
      mount(detail, errorBox(e));
    }
  }

  refresh();
  return () => { stopped = true; clearTimeout(timer); tuning.stop(); };
}

function runDetail(run) {
  const r = run.results;
  const card = h('section', { class: 'card', 'data-test': 'benchmark-result' },
    h('h2', {}, `${run.model} · ${run.id}`),
    h('p', { class: 'small muted' }, `Engine ${run.spec.backend || '?'}${run.spec.backend_version ? ` ${run.spec.backend_version}` : ''} on `,
      (run.hardware.nodes || []).map((n) => `${n.node} (${n.devices.length ? n.devices.map((d) => d.name).join(', ') : 'CPU'})`).join('; ') || 'no replica'));
  if (!r) return mount(card, card.firstChild, card.children[1], h('p', {}, 'Still running…'));
  const rows = [['Time to first token', r.ttft_ms], ['Time per output token', r.tpot_ms], ['Inter-token latency', r.itl_ms],
    ['Request latency', r.latency_ms]];
  card.append(h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ['', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(([name, d]) => h('tr', {}, h('th', { scope: 'row' }, name),
      ['mean', 'p50', 'p90', 'p95', 'p99', 'max'].map((k) => h('td', {}, ms(d?.[k]))))))),
  h('p', {}, `${r.succeeded} of ${r.requests} requests answered in ${r.elapsed_seconds} s: ${r.request_throughput} requests/s, `,
    `${r.output_token_throughput} output tokens/s.`),
  r.sla && h('ul', { class: 'sla' }, r.sla.targets.map((t) => h('li', {}, badge(t.met ? 'ok' : 'failed', t.met ? 'met' : 'missed'),
    ` ${t.target} ≤ ${t.limit} (measured ${t.measured ?? '–'})`))),
  r.errors.length > 0 && h('ul', { class: 'errors' }, r.errors.map((e) => h('li', {}, `${e.count} × ${e.error}`))));
  const chart = h('div', { class: 'chart-box' });
  card.append(h('h3', {}, 'Every request over the run'), chart);
  const points = (index) => r.series.filter((p) => p[index] !== null).map((p) => ({ x: p[0], y: p[index] }));
  requestAnimationFrame(() => lineChart(chart, { series: [{ name: 'TTFT (ms)', points: points(1) }, { name: 'latency (ms)', points: points(2) }],
    yFormat: (v) => `${Math.round(v)}`, xFormat: (v) => `${(v / 1000).toFixed(1)} s`, label: 'TTFT and latency of each request by start time' }));
  return card;
}

function startForm(onStarted) {
  const model = h('select', { name: 'model' }, h('option', { value: '' }, 'Loading models…'));
  get('/v2/models').then(({ items }) => mount(model, items.length ? items.map((m) => h('option', { value: m.name }, m.name))
    : h('option', { value: '' }, 'No model deployed'))).catch(() => mount(model, h('option', { value: '' }, 'Cannot list models')));
  const requests = h('input', { name: 'requests', type: 'number', min: 1, max: 10000, value: 50, class: 'narrow' });
  const concurrency = h('input', { name: 'concurrency', type: 'number', min: 1, max: 512, value: 4, class: 'narrow' });
  const maxTokens = h('input', { name: 'max_tokens', type: 'number', min: 1, max: 32768, value: 64, class: 'narrow' });
  const sla = h('select', { name: 'sla' }, ['', 'chat', 'code-completion', 'batch'].map((p) => h('option', { value: p }, p || 'none')));
  const error = h('div', { class: 'action-error', role: 'alert', 'data-test': 'benchmark-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'benchmark-start' }, 'Start');
  return h('form', { class: 'card form inline-form', onsubmit: async (e) => {
    e.preventDefault();
    const body = { model: model.value, profile: { requests: Number(requests.value), concurrency: Number(concurrency.value),
      max_tokens: Number(maxTokens.value), stream: true } };
    if (sla.value) body.sla = sla.value;
    const started = await busy(submit, () => post('/v2/benchmarks', body), error);
    if (started) {
      toast(`Benchmark ${started.id} started`);
      onStarted();
    }
  } }, h('h2', {}, 'New run'), field('Model', model), field('Requests', requests), field('Concurrency', concurrency),
  field('Max tokens', maxTokens), field('SLA', sla, 'chat: TTFT p95 ≤ 500 ms, TPOT p95 ≤ 50 ms, errors ≤ 1 %'), error, submit);
}
