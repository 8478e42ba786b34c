// Nodes and their devices, live. Admins edit labels, switch maintenance and forget unreachable nodes.

import { badge, busy, confirmAction, empty, forget, h, loading, meter, mount, reconcile, toast } from '../dom.js';
import { del, patch, seg } from '../api.js';
import { watch } from '../watch.js';
import { ago, bytes, labelsToText, parseLabels, percent } from '../format.js';

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  let nodes = [];
  const editing = new Set();
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
    reconcile(nodeList, sorted, (n) => n.name, (n) => nodeCard(n, admin, editing));
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

  return watch('/v2/nodes', { key: 'name', onChange: (items, { ready }) => { nodes = items; draw(ready); } });
}

function nodeCard(initial, admin, editing) {
  let node = initial;
  const body = h('div', {});
  const errors = h('div', { class: 'action-error' });
  const labelsSlot = h('div', { class: 'labels-slot' });
  const maintenance = maintenanceButton();
  const forget = forgetButton();
  const el = h('article', { class: 'card node-card', 'data-node': node.name }, body, labelsSlot,
    admin && h('div', { class: 'node-actions' }, maintenance, forget), errors);

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
