// Groups (admins only): which models/routes their members may call, who is in them, and the limits
// and quotas they share.

import { confirmAction, empty, field, h, loading, mount, reconcile, showFieldErrors, toast, busy } from '../dom.js';
import { del, get, patch, post } from '../api.js';
import { watch } from '../watch.js';
import { namesFromText } from '../limits.js';
import { limitsEditor } from '../limits-editor.js';

export default function render(main) {
  const list = h('div', { class: 'card' }, loading());
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Groups')),
    h('p', { class: 'muted lead' }, 'Members of a group may call the models and routes it names ("*": all), '
      + 'besides their own; a user in no group may call everything. Limits of a group apply to all its members together.'),
    createForm(), list);
  const tbody = h('tbody', {});
  const table = h('table', { class: 'table', 'data-test': 'group-table' },
    h('thead', {}, h('tr', {}, ['Group', 'Members', 'Models and limits', ''].map((t) => h('th', { scope: 'col' }, t)))), tbody);
  let users = [];
  get('/v2/users?per_page=1000').then((page) => { users = page.items || []; }).catch(() => {});

  function draw(groups, ready) {
    if (!groups.length) {
      if (ready) mount(list, empty('No groups yet', 'Create one above.'));
      return;
    }
    if (!list.contains(table)) mount(list, table);
    reconcile(tbody, groups.slice().sort((a, b) => a.name.localeCompare(b.name)), (g) => g.id, (g) => {
      const el = h('tr', { 'data-group': g.name });
      return { el, update: (next) => mount(el, cells(next, () => users)) };
    });
  }
  return watch('/v2/groups', { onChange: (groups, { ready }) => draw(groups, ready) });
}

function cells(group, users) {
  const nameOf = (id) => users().find((u) => u.id === id)?.username || `#${id}`;
  const members = h('input', { value: group.members.map(nameOf).join(', '), 'aria-label': `Members of ${group.name}`,
    spellcheck: 'false', 'data-test': 'members' });
  const saveMembers = h('button', { class: 'secondary small', onclick: async () => {
    const wanted = namesFromText(members.value);
    const ids = wanted.map((n) => users().find((u) => u.username === n)?.id);
    if (ids.includes(undefined)) {
      toast(`No user named ${wanted[ids.indexOf(undefined)]}`, 'bad');
      return;
    }
    if (await busy(saveMembers, () => patch(`/v2/groups/${group.id}`, { members: ids }).then(() => true))) {
      toast(`Saved the members of ${group.name}`);
    }
  } }, 'Save members');
  const remove = h('button', { class: 'danger small', onclick: async () => {
    const ok = await confirmAction({ title: `Delete ${group.name}?`, confirm: 'Delete',
      message: 'Its members lose what only this group allowed them, on every node at once.' });
    if (ok && await busy(remove, () => del(`/v2/groups/${group.id}`).then(() => true))) toast(`Deleted ${group.name}`);
  } }, 'Delete');
  return [
    h('td', { 'data-label': 'Group' }, h('strong', {}, group.name), group.description && h('p', { class: 'small muted' }, group.description)),
    h('td', { 'data-label': 'Members' }, members, saveMembers),
    h('td', { 'data-label': 'Models' }, h('p', { 'data-test': 'group-models' },
      group.allowed_models.length ? group.allowed_models.join(', ') : 'none'), limitsEditor({ what: group.name, limits: group.limits, names: group.allowed_models,
      save: (body) => patch(`/v2/groups/${group.id}`, body), quota: () => get(`/v2/groups/${group.id}`) })),
    h('td', {}, remove)];
}

function createForm() {
  const name = h('input', { name: 'name', autocomplete: 'off', placeholder: 'research' });
  const models = h('input', { name: 'allowed_models', spellcheck: 'false', placeholder: 'qwen, summarize' });
  const error = h('div', { class: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'create-group' }, 'Create group');
  const form = h('form', { class: 'card form-grid', novalidate: true, 'data-test': 'group-form', onsubmit: async (e) => {
    e.preventDefault();
    const errors = {};
    if (!name.value.trim()) errors.name = 'Name the group.';
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) return;
    const created = await busy(submit, () => post('/v2/groups', { name: name.value.trim(),
      allowed_models: namesFromText(models.value) }), error);
    if (created) {
      toast(`Created ${created.name}`);
      form.reset();
    }
  } }, h('h2', {}, 'Create a group'), field('Name', name),
  field('Models and routes', models, "Comma-separated names its members may call; '*' for all."),
  h('div', { class: 'form-actions' }, error, submit));
  return form;
}
