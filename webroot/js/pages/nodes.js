// Nodes and their devices, live. Admins edit labels, switch maintenance, drain nodes and forget unreachable ones.
// Each node card charts the history the node keeps (CPU, memory, each device) over 1 h, 24 h or 30 d.

import { badge, busy, confirmAction, empty, forget, h, loading, meter, mount, reconcile, toast } from '../dom.js';
import { del, get, patch, seg } from '../api.js';
import { lineChart } from '../charts.js';
import { deviceSeries, nodeSeries, RANGES, timeLabel } from '../node-history.js';
import { watch } from '../watch.js';
import { ago, bytes, labelsToText, parseLabels, percent } from '../format.js';

const HISTORY_POLL_MS = 30000;

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  let nodes = [];
  const editing = new Set();
  const histories = new Set();
  const nodeList = h('div', { class: 'node-list', 'data-test': 'node-list' }, loading());
  const deviceTable = h('div', { class: 'card' }, loading());
  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Nodes & devices'), h('span', { class: 'live' }, 'live')),
    nodeList, h('h2', { class: 'section-title' }, 'Devices'), deviceTable);

  function draw(ready) {
    if (!nodes.length) {
      forget(nodeList);
      if (ready) mount(nodeList, empty('No nodes', 'Nodes appear here when they join the cluster.'));
      return;
    }
    const sorted = nodes.slice().sort((a, b) => a.name.localeCompare(b.name));
    if (!nodeList.querySelector('.node-card')) nodeList.replaceChildren();
    reconcile(nodeList, sorted, (n) => n.name, (n) => nodeCard(n, admin, editing, histories));
    drawDevices(sorted);
  }

  function drawDevices(sorted) {
    const devices = sorted.flatMap((n) => (n.devices || []).map((d) => ({ ...d, node: n.name })));
    if (!devices.length) {
      mount(deviceTable, empty('No devices reported'));
      return;
    }
    mount(deviceTable, h('table', { class: 'table', 'data-test': 'device-table' },
      h('thead', {}, h('tr', {}, ['Device', 'Node', 'Vendor', 'Name', 'Memory', 'Utilisation', 'Temp.', 'Power', 'Health'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, devices.map((d) => h('tr', {},
        h('td', { 'data-label': 'Device' }, h('code', {}, d.id)),
        h('td', { 'data-label': 'Node' }, d.node),
        h('td', { 'data-label': 'Vendor' }, d.vendor === d.type ? d.type : `${d.vendor} (${d.type})`),
        h('td', { 'data-label': 'Name', title: deviceDetails(d) || null }, d.name || '—',
          d.partition ? h('span', { class: 'small muted' }, ` ${d.partition}`) : null),
        h('td', { 'data-label': 'Memory' }, meter(percent(d.memory_used, d.memory_total), 'memory used'),
          h('span', { class: 'small muted' }, `${bytes(d.memory_used)} / ${bytes(d.memory_total)}`)),
        h('td', { 'data-label': 'Utilisation' }, `${d.utilization ?? '—'}%`),
        h('td', { 'data-label': 'Temp.' }, d.temperature == null ? '—' : `${d.temperature} °C`),
        h('td', { 'data-label': 'Power' }, d.power == null ? '—' : `${Math.round(d.power)} W`),
        h('td', { 'data-label': 'Health' }, d.health || '—'))))));
  }

  const stop = watch('/v2/nodes', { key: 'name', onChange: (items, { ready }) => { nodes = items; draw(ready); } });
  const timer = setInterval(() => histories.forEach((history) => (history.el.isConnected ? history.load()
    : histories.delete(history))), HISTORY_POLL_MS);
  return () => {
    stop();
    clearInterval(timer);
  };
}

/** The history charts of one node: a 1h/24h/30d switch, CPU and memory, then one chart per device. */
function nodeHistory(name, devicesOf) {
  let range = RANGES[0];
  const charts = h('div', { class: 'history-charts' }, loading('Loading history…'));
  const buttons = RANGES.map((r) => h('button', { type: 'button', class: 'secondary small', 'data-range': r,
    'aria-pressed': String(r === range), onclick: () => choose(r) }, r));
  const el = h('section', { class: 'node-history', 'data-test': 'node-history', 'aria-label': `History of ${name}` },
    h('div', { class: 'history-head' }, h('span', { class: 'small muted' }, 'History'),
      h('div', { class: 'range-switch', role: 'group', 'aria-label': 'Range' }, buttons)), charts);

  function choose(next) {
    range = next;
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === range)));
    load();
  }

  async function load() {
    const asked = range;
    let history;
    try {
      history = await get(`/v2/metrics/nodes/${seg(name)}?range=${asked}`);
    } catch (e) {
      if (asked === range) mount(charts, h('p', { class: 'chart-empty muted' }, `History unavailable: ${e.message}`));
      return;
    }
    if (asked !== range || !el.isConnected) return;
    drawHistory(charts, history, devicesOf());
  }

  return { el, load };
}

function drawHistory(charts, history, devices) {
  const pct = (v) => `${Math.round(v)}%`;
  const xFormat = timeLabel(history.range);
  const emptyText = 'Collecting samples…';
  const nodeChart = h('div', { class: 'history-chart', 'data-test': 'history-node' });
  const deviceCharts = deviceSeries(history, devices).map((d) => {
    const chart = h('div', { class: 'history-chart', 'data-device': d.id });
    const latest = d.readings.map((r) => (r.points.length ? `${Math.round(r.points[r.points.length - 1].y)} ${r.name}` : null))
      .filter(Boolean).join(' · ');
    return { d, chart, box: h('div', { class: 'history-device' },
      h('div', { class: 'small' }, h('code', {}, d.id), ` ${d.name}`, latest && h('span', { class: 'muted' }, ` · ${latest}`)), chart) };
  });
  mount(charts, h('div', { class: 'history-device' }, h('div', { class: 'small' }, 'CPU and memory'), nodeChart),
    deviceCharts.map((c) => c.box));
  lineChart(nodeChart, { series: nodeSeries(history), yMax: 100, yFormat: pct, xFormat, height: 120,
    label: `CPU and memory of ${history.node}, percent, last ${history.range}`, emptyText });
  deviceCharts.forEach(({ d, chart }) => lineChart(chart, { series: d.usage, yMax: 100, yFormat: pct, xFormat, height: 120,
    label: `Utilisation and memory of ${d.id}, percent, last ${history.range}`, emptyText }));
}

function nodeCard(initial, admin, editing, histories) {
  let node = initial;
  const body = h('div', {});
  const errors = h('div', { class: 'action-error' });
  const labelsSlot = h('div', { class: 'labels-slot' });
  const maintenance = maintenanceButton();
  const drain = drainButton();
  const forget = forgetButton();
  const history = nodeHistory(node.name, () => (node.devices || []).filter((d) => d.type !== 'cpu'));
  const el = h('article', { class: 'card node-card', 'data-node': node.name }, body, labelsSlot, history.el,
    admin && h('div', { class: 'node-actions' }, maintenance, drain, forget), errors);
  histories.add(history);
  setTimeout(history.load);

  function update(next) {
    node = next;
    const cpu = node.cpu || {};
    const mem = node.memory || {};
    mount(body,
      h('div', { class: 'node-head' },
        h('h2', {}, node.name), badge(node.state),
        node.maintenance && node.state !== 'maintenance' && badge('maintenance'),
        h('span', { class: 'muted small' }, `${node.address}:${node.port} · v${node.version} · ${node.os?.name || ''} ${node.os?.arch || ''}`)),
      node.state_message && h('p', { class: 'state-message' }, node.state_message),
      h('dl', { class: 'resources' },
        h('div', {}, h('dt', {}, 'CPU'), h('dd', {}, meter(cpu.utilization, 'CPU utilisation'),
          h('span', { class: 'small muted' }, `${cpu.utilization ?? 0}% of ${cpu.cores ?? '?'} cores · ${cpu.model || ''}`))),
        h('div', {}, h('dt', {}, 'Memory'), h('dd', {}, meter(percent(mem.used, mem.total), 'memory used'),
          h('span', { class: 'small muted' }, `${bytes(mem.used)} / ${bytes(mem.total)}`))),
        h('div', {}, h('dt', {}, 'Heartbeat'), h('dd', {}, h('time', { datetime: node.heartbeat_at }, ago(node.heartbeat_at))))));
    maintenance.textContent = node.maintenance ? 'End maintenance' : 'Maintenance';
    maintenance.setAttribute('aria-pressed', String(Boolean(node.maintenance)));
    drain.hidden = Boolean(node.drain) || node.state === 'unreachable' || node.state === 'stopped';
    forget.hidden = node.state !== 'unreachable';
    if (!editing.has(node.name)) showLabels();
  }

  function showLabels() {
    const entries = Object.entries(node.labels || {});
    mount(labelsSlot, h('div', { class: 'labels', 'data-test': 'labels' }, h('span', { class: 'small muted' }, 'Labels'),
      entries.length ? entries.map(([k, v]) => h('span', { class: 'chip' }, `${k}=${v}`)) : h('span', { class: 'muted small' }, 'none'),
      admin && h('button', { class: 'link', 'data-test': 'edit-labels', onclick: editLabels }, 'Edit labels')));
  }

  function editLabels() {
    editing.add(node.name);
    const text = h('textarea', { rows: 3, id: `labels-${node.name}`, spellcheck: 'false' }, labelsToText(node.labels));
    const error = h('p', { class: 'field-error', id: `labels-${node.name}-error`, 'aria-live': 'polite' });
    text.setAttribute('aria-describedby', error.id);
    const save = h('button', { type: 'submit', class: 'primary small', 'data-test': 'save-labels' }, 'Save labels');
    const done = () => {
      editing.delete(node.name);
      showLabels();
    };
    mount(labelsSlot, h('form', { class: 'label-form', onsubmit: async (e) => {
      e.preventDefault();
      const { labels, error: problem } = parseLabels(text.value);
      error.textContent = problem || '';
      if (problem) return text.focus();
      const ok = await busy(save, () => patch(`/v2/nodes/${seg(node.name)}`, { labels }).then(() => true), error);
      if (ok) {
        toast(`Labels of ${node.name} saved`);
        done();
      }
    } }, h('label', { for: text.id }, `Labels of ${node.name}, one key=value per line`), text, error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', onclick: done }, 'Cancel'), save)));
    text.focus();
  }

  function maintenanceButton() {
    const button = h('button', { class: 'secondary small', 'data-test': 'maintenance', onclick: async () => {
      const on = node.maintenance;
      if (!on) {
        const ok = await confirmAction({ title: `Put ${node.name} in maintenance?`, confirm: 'Start maintenance', danger: false,
          message: 'No new replicas are placed on it until maintenance ends.' });
        if (!ok) return;
      }
      busy(button, () => patch(`/v2/nodes/${seg(node.name)}`, { maintenance: !on }), errors);
    } });
    return button;
  }

  /** Maintenance that also moves the node's replicas elsewhere, each stopping once its replacement runs. */
  function drainButton() {
    const button = h('button', { class: 'secondary small', 'data-test': 'drain', onclick: async () => {
      const ok = await confirmAction({ title: `Drain ${node.name}?`, confirm: 'Drain', danger: false,
        message: 'It goes into maintenance and its replicas start on other nodes; each one here stops once its '
          + 'replacement runs and its requests in flight have finished. End maintenance to take it back.' });
      if (ok) busy(button, () => patch(`/v2/nodes/${seg(node.name)}`, { drain: true }), errors);
    } }, 'Drain');
    return button;
  }

  function forgetButton() {
    const button = h('button', { class: 'danger small', onclick: async () => {
      const ok = await confirmAction({ title: `Forget ${node.name}?`, message: 'The node record is removed; if the node comes back it joins again.' });
      if (ok) busy(button, () => del(`/v2/nodes/${seg(node.name)}`), errors);
    } }, 'Forget node');
    return button;
  }

  return { el, update };
}

/** Driver, runtime, architecture and bus of a device, for its name's tooltip. */
function deviceDetails(d) {
  return [['driver', d.driver_version], ['runtime', d.runtime_version], ['architecture', d.architecture],
    ['bus', d.bus_id], ['uuid', d.uuid]].filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(' · ');
}
