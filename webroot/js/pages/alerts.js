// Alerts (admins only; the API refuses others too): the live list of alerts (firing first, then pending,
// then resolved) followed through /v2/alerts?watch=true, and the alert rules with a switch each.

import { badge, busy, empty, h, loading, mount, reconcile, toast } from '../dom.js';
import { get, patch, seg } from '../api.js';
import { watch } from '../watch.js';
import { ago } from '../format.js';
import { countByState, describeRule, orderAlerts } from '../alert-list.js';

const TONE = { firing: 'error', pending: 'starting', resolved: 'ok' };

export default function render(main) {
  const summary = h('p', { class: 'muted', 'data-test': 'alert-summary' });
  const list = h('div', { class: 'card' }, loading());
  const rules = h('div', { class: 'card' }, loading());
  const errors = h('div', { class: 'action-error' });
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Alerts')), summary, list,
    h('h2', {}, 'Rules'), errors, rules);

  const tbody = h('tbody', {});
  const table = h('table', { class: 'table', 'data-test': 'alert-table' },
    h('thead', {}, h('tr', {}, ['State', 'Severity', 'Alert', 'Since', 'Resolved'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody);

  function draw(alerts, ready) {
    const counts = countByState(alerts);
    summary.textContent = `${counts.firing} firing · ${counts.pending} pending · ${counts.resolved} resolved in the last 24 h`;
    if (!alerts.length) {
      if (ready) mount(list, empty('No alerts', 'Nothing is wrong right now, and nothing was in the last 24 hours.'));
      return;
    }
    if (!list.contains(table)) mount(list, table);
    reconcile(tbody, orderAlerts(alerts), (a) => a.id, alertRow);
  }

  loadRules(rules, errors);
  return watch('/v2/alerts', { onChange: (alerts, { ready }) => draw(alerts, ready) });
}

function alertRow(initial) {
  const state = h('td', { 'data-label': 'State' });
  const severity = h('td', { 'data-label': 'Severity' });
  const message = h('td', { 'data-label': 'Alert' });
  const since = h('td', { 'data-label': 'Since' });
  const resolved = h('td', { 'data-label': 'Resolved' });
  const el = h('tr', { 'data-alert': initial.id }, state, severity, message, since, resolved);
  function update(a) {
    el.dataset.state = a.state;
    mount(state, badge(TONE[a.state] || a.state, a.state));
    severity.textContent = a.severity;
    mount(message, h('span', {}, a.message), h('p', { class: 'small muted' }, a.rule_id));
    since.textContent = ago(a.firing_at || a.started_at);
    since.title = a.started_at;
    resolved.textContent = a.resolved_at ? ago(a.resolved_at) : '';
  }
  return { el, update };
}

async function loadRules(container, errors) {
  let items;
  try {
    items = (await get('/v2/alert-rules')).items;
  } catch (e) {
    mount(container, h('p', { class: 'form-error' }, e.message));
    return;
  }
  mount(container, h('table', { class: 'table', 'data-test': 'rule-table' },
    h('thead', {}, h('tr', {}, ['On', 'Rule', 'Severity', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((rule) => ruleRow(rule, errors)))));
}

function ruleRow(rule, errors) {
  const toggle = h('input', { type: 'checkbox', 'aria-label': `Rule ${rule.id} enabled`, 'data-test': 'rule-enabled' });
  toggle.checked = rule.enabled;
  toggle.addEventListener('change', async () => {
    const wanted = toggle.checked;
    const saved = await busy(toggle, () => patch(`/v2/alert-rules/${seg(rule.id)}`, { enabled: wanted }), errors);
    if (saved) toast(`${rule.id} ${saved.enabled ? 'enabled' : 'disabled'}`);
    else toggle.checked = !wanted;
  });
  return h('tr', { 'data-rule': rule.id }, h('td', { 'data-label': 'On' }, toggle),
    h('td', { 'data-label': 'Rule' }, h('strong', {}, rule.id), h('p', { class: 'small muted' }, describeRule(rule),
      rule.builtin ? ' · built in' : '')),
    h('td', { 'data-label': 'Severity' }, rule.severity), h('td', {}));
}
