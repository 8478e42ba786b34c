// The cluster at a glance: counts from the watch streams, utilisation sampled from node records
// polled at the agents' heartbeat (every 3 s: the nodes watch sends measurements at most every 10 s)
// into a rolling buffer, and usage rates from polled totals.

import { badge, h, mount } from '../dom.js';
import { get } from '../api.js';
import { watch } from '../watch.js';
import { lineChart } from '../charts.js';
import { clock, number, percent } from '../format.js';
import { isoDay, ratesPerMinute } from '../usage-data.js';

const KEEP = 240; // samples per series: 12 minutes of 3-second heartbeats
const USAGE_POLL_MS = 5000;
const NODES_POLL_MS = 3000;
const REPLICA_STATES = ['running', 'starting', 'initializing', 'scheduled', 'pending', 'error', 'unreachable'];

// Kept across visits, so coming back to the dashboard shows the recent past.
const samples = { nodes: new Map(), devices: new Map(), usage: [] };

function push(map, key, point) {
  const series = map.get(key) || [];
  if (series.length && series[series.length - 1].x >= point.x) return;
  series.push(point);
  if (series.length > KEEP) series.splice(0, series.length - KEEP);
  map.set(key, series);
}

function sample(nodes) {
  for (const node of nodes) {
    const x = Date.parse(node.heartbeat_at) || Date.now();
    if (node.state === 'unreachable') continue;
    push(samples.nodes, node.name, { x, cpu: node.cpu?.utilization ?? 0, mem: percent(node.memory?.used, node.memory?.total) });
    for (const device of node.devices || []) {
      if (device.type !== 'cpu') push(samples.devices, device.id, { x, y: device.utilization ?? 0 });
    }
  }
}

function stat(label, value, detail, test) {
  return h('div', { class: 'stat', 'data-test': test }, h('p', { class: 'stat-label' }, label),
    h('p', { class: 'stat-value' }, value), detail && h('p', { class: 'stat-detail' }, detail));
}

export default function render(main) {
  let nodes = [];
  let models = [];
  let instances = [];
  let today = null;
  let usageError = null;
  const stats = h('div', { class: 'stats', 'aria-live': 'off' });
  const replicaStates = h('div', { 'data-test': 'replica-states' });
  const charts = {
    cpu: h('div', { class: 'chart-box' }), mem: h('div', { class: 'chart-box' }), dev: h('div', { class: 'chart-box' }),
    req: h('div', { class: 'chart-box' }), tok: h('div', { class: 'chart-box' }),
  };
  const card = (title, el, test) => h('section', { class: 'card', 'data-test': test }, h('h2', {}, title), el);

  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Dashboard'), h('span', { class: 'live' }, 'live')),
    stats,
    h('div', { class: 'grid two' },
      card('CPU utilisation', charts.cpu, 'chart-cpu'), card('Memory used', charts.mem, 'chart-memory'),
      card('Device utilisation', charts.dev, 'chart-devices'), h('section', { class: 'card' }, h('h2', {}, 'Replicas by state'), replicaStates),
      card('Requests per minute', charts.req, 'chart-requests'), card('Tokens per minute', charts.tok, 'chart-tokens')));

  function drawStats() {
    const ready = nodes.filter((n) => n.state === 'ready').length;
    const devices = nodes.flatMap((n) => n.devices || []);
    const gpus = devices.filter((d) => d.type !== 'cpu').length;
    const serving = models.filter((m) => instances.some((i) => i.model_name === m.name && i.state === 'running')).length;
    const running = instances.filter((i) => i.state === 'running').length;
    mount(stats,
      stat('Nodes ready', `${ready} / ${nodes.length}`, nodes.length - ready ? `${nodes.length - ready} not ready` : 'all ready', 'stat-nodes'),
      stat('Devices', String(devices.length), `${gpus} GPU · ${devices.length - gpus} CPU`, 'stat-devices'),
      stat('Models', String(models.length), `${serving} serving`, 'stat-models'),
      stat('Replicas', `${running} / ${instances.length}`, 'running', 'stat-replicas'),
      stat('Requests today', today ? number(today.request_count) : '—',
        usageError || (today?.failed_count ? `${number(today.failed_count)} failed · UTC day` : 'UTC day'), 'stat-requests'),
      stat('Tokens today', today ? number(today.prompt_tokens + today.completion_tokens) : '—',
        today ? `${number(today.prompt_tokens)} in · ${number(today.completion_tokens)} out` : '', 'stat-tokens'));
    const counts = REPLICA_STATES.map((state) => [state, instances.filter((i) => i.state === state).length]).filter(([, n]) => n);
    mount(replicaStates, counts.length
      ? h('ul', { class: 'state-list' }, counts.map(([state, n]) => h('li', {}, badge(state), h('strong', {}, n))))
      : h('p', { class: 'muted' }, 'No replicas yet. ', h('a', { href: '#/models' }, 'Deploy a model.')));
  }

  function drawCharts() {
    const pct = (v) => `${Math.round(v)}%`;
    const series = (map, field) => [...map.entries()].map(([name, points]) => ({ name, points: points.map((p) => ({ x: p.x, y: p[field] })) }));
    lineChart(charts.cpu, { series: series(samples.nodes, 'cpu'), yMax: 100, yFormat: pct, xFormat: clock,
      label: 'CPU utilisation per node, percent', emptyText: 'Collecting samples (one every 3 s)…' });
    lineChart(charts.mem, { series: series(samples.nodes, 'mem'), yMax: 100, yFormat: pct, xFormat: clock,
      label: 'Memory used per node, percent', emptyText: 'Collecting samples (one every 3 s)…' });
    const anyGpu = nodes.some((n) => (n.devices || []).some((d) => d.type !== 'cpu'));
    if (anyGpu) {
      lineChart(charts.dev, { series: series(samples.devices, 'y'), yMax: 100, yFormat: pct, xFormat: clock,
        label: 'Utilisation per accelerator, percent', emptyText: 'Collecting samples…' });
    } else {
      mount(charts.dev, h('p', { class: 'chart-empty muted' }, 'No accelerators in the cluster: models run on CPUs (above).'));
    }
    const rates = ratesPerMinute(samples.usage);
    lineChart(charts.req, { series: [{ name: 'requests', points: rates.map((r) => ({ x: r.t, y: r.requests })) }],
      yFormat: number, xFormat: clock, label: 'Gateway requests per minute', emptyText: 'Measuring… (updates every 5 s)' });
    lineChart(charts.tok, { series: [{ name: 'tokens', points: rates.map((r) => ({ x: r.t, y: r.tokens })) }],
      yFormat: number, xFormat: clock, label: 'Tokens per minute (prompt and completion)', emptyText: 'Measuring… (updates every 5 s)' });
  }

  const redraw = () => {
    drawStats();
    drawCharts();
  };
  const stops = [
    watch('/v2/nodes', { key: 'name', onChange: (items) => { nodes = items; sample(items); redraw(); } }),
    watch('/v2/models', { onChange: (items) => { models = items; drawStats(); } }),
    watch('/v2/model-instances', { onChange: (items) => { instances = items; drawStats(); } }),
  ];

  async function pollNodes() {
    try {
      sample((await get('/v2/nodes?perPage=1000')).items);
      drawCharts();
    } catch {
      // the watch shows what is wrong with the nodes; a missed sample is only a gap in the charts
    }
  }
  pollNodes();
  const nodesTimer = setInterval(pollNodes, NODES_POLL_MS);

  async function pollUsage() {
    try {
      today = (await get(`/v2/usage?from=${isoDay(Date.now())}`)).items[0] || { request_count: 0, prompt_tokens: 0, completion_tokens: 0 };
      usageError = null;
      samples.usage.push({ t: Date.now(), requests: today.request_count, tokens: today.prompt_tokens + today.completion_tokens });
      if (samples.usage.length > KEEP) samples.usage.shift();
    } catch (e) {
      usageError = `usage: ${e.message}`;
    }
    redraw();
  }
  pollUsage();
  const timer = setInterval(pollUsage, USAGE_POLL_MS);
  const onResize = () => drawCharts();
  window.addEventListener('resize', onResize);
  redraw();
  return () => {
    stops.forEach((stop) => stop());
    clearInterval(timer);
    clearInterval(nodesTimer);
    window.removeEventListener('resize', onResize);
  };
}
