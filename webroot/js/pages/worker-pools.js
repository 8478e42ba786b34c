// Worker pools (admins only): each cloud pool with its instances, their nodes and the reconciler's
// last decisions. Pools are changed through /v2/worker-pools (see docs/OPERATIONS.md); this page shows
// them, refreshed every 3 s, creates one (worker-pool-form.js) and deletes one (its instances first).

import { badge, busy, confirmAction, empty, errorBox, h, loading, mount } from '../dom.js';
import { del, get, seg } from '../api.js';
import { ago } from '../format.js';
import { poolForm } from './worker-pool-form.js';

const REFRESH_MS = 3000;

export default function render(main) {
  const list = h('div', { 'data-test': 'pool-list' }, loading());
  const errors = h('div', { class: 'action-error' });
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Worker pools')),
    h('p', { class: 'muted small' }, 'Nodes created at a cloud when replicas wait for room, drained and deleted when idle. ',
      'Create a pool below or with POST /v2/worker-pools (see the API reference).'), errors, list,
    poolForm(() => {
      clearTimeout(timer);
      refresh();
    }));
  let stopped = false;
  let timer = null;

  async function refresh() {
    try {
      const pools = (await get('/v2/worker-pools?perPage=100')).items;
      const events = await Promise.all(pools.map((p) => get(`/v2/worker-pools/${seg(p.name)}/events`)
        .then((e) => e.items).catch(() => [])));
      if (stopped) return;
      if (!pools.length) mount(list, empty('No worker pools', 'Create one through the API: POST /v2/worker-pools.'));
      else mount(list, ...pools.map((p, i) => poolCard(p, events[i], errors, refresh)));
    } catch (e) {
      if (!stopped) mount(list, errorBox(e));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function poolCard(pool, events, errors, refresh) {
  const status = pool.status || {};
  const types = (pool.instance_types || []).map((t) => t.name).join(' → ');
  const remove = h('button', { class: 'danger small', 'data-test': 'delete-pool', disabled: pool.deleting, onclick: async () => {
    const ok = await confirmAction({ title: `Delete pool ${pool.name}?`, confirm: 'Delete',
      message: 'Its instances are deleted at the cloud, then the pool.' });
    if (ok) busy(remove, () => del(`/v2/worker-pools/${seg(pool.name)}`).then(refresh), errors);
  } }, pool.deleting ? 'Deleting…' : 'Delete');
  const instances = status.instances || [];
  return h('section', { class: 'card', 'data-pool': pool.name },
    h('div', { class: 'page-head' }, h('h2', {}, pool.name), remove),
    h('p', { class: 'small' }, `${pool.provider} · ${pool.region}${pool.zone ? '/' + pool.zone : ''} · image ${pool.image}`,
      ` · types ${types} · nodes ${status.nodes ?? 0} (min ${pool.min_nodes ?? 0}, max ${pool.max_nodes ?? 1})`,
      ` · idle ${pool.idle_timeout ?? 600} s · join ${pool.join_timeout ?? 900} s`),
    h('p', { class: 'small muted', 'data-test': 'pool-status' }, status.message || ''),
    instances.length
      ? h('table', { class: 'table', 'data-test': 'pool-instances' },
        h('thead', {}, h('tr', {}, ['Instance', 'Type', 'Cloud', 'Node', 'Phase', 'Replicas', 'Created']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, instances.map((i) => h('tr', { 'data-instance': i.name },
          h('td', { 'data-label': 'Instance' }, h('strong', {}, i.name), h('span', { class: 'muted small' }, ` ${i.id}`)),
          h('td', { 'data-label': 'Type' }, i.instance_type || ''),
          h('td', { 'data-label': 'Cloud' }, i.status || ''),
          h('td', { 'data-label': 'Node' }, i.node_state ? badge(i.node_state) : '—'),
          h('td', { 'data-label': 'Phase' }, badge(i.phase)),
          h('td', { 'data-label': 'Replicas' }, String(i.replicas ?? 0)),
          h('td', { 'data-label': 'Created' }, i.created_at ? ago(i.created_at) : '')))))
      : h('p', { class: 'muted small' }, 'No instances.'),
    h('h3', {}, 'Events'),
    events.length
      ? h('ul', { class: 'small', 'data-test': 'pool-events' }, events.slice(0, 10).map((e) =>
        h('li', {}, h('span', { class: 'muted' }, `${ago(e.at)} `), h('strong', {}, e.action), e.node ? ` ${e.node}: ` : ': ', e.detail)))
      : h('p', { class: 'muted small' }, 'No decisions yet.'));
}
