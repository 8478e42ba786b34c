// The API reference page (/docs/api): renders the node's own /v2/openapi.json, offline. Operations
// are grouped by tag; each opens to its parameters, body fields with their rules, responses and an
// example curl command. What it shows is computed by api-doc.js.

import { h, mount } from './dom.js';
import { curl, fields, groups, matching, operations, resolve } from './api-doc.js';

const root = document.getElementById('reference');

async function start() {
  let doc;
  try {
    const response = await fetch('/v2/openapi.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /v2/openapi.json answered ${response.status}`);
    doc = await response.json();
  } catch (e) {
    mount(root, h('p', { class: 'error-box', role: 'alert' }, `Cannot load the API description: ${e.message}`));
    return;
  }
  const all = operations(doc);
  const list = h('div', { class: 'ref-groups' });
  const filter = h('input', { type: 'search', placeholder: 'Filter: method, path or words', 'aria-label': 'Filter operations',
    'data-test': 'ref-filter', oninput: () => show(matching(all, filter.value)) });
  const show = (ops) => mount(list, ops.length ? groups(doc, ops).map((g) => group(doc, g))
    : h('p', { class: 'muted' }, 'No operation matches.'));
  mount(root,
    h('h1', {}, doc.info?.title || 'API reference', ' ', h('span', { class: 'muted' }, doc.info?.version || '')),
    h('p', { class: 'ref-intro' }, doc.info?.description || ''),
    h('p', { class: 'ref-intro' }, 'The machine-readable description: ', h('a', { href: '/v2/openapi.json' }, '/v2/openapi.json'),
      '. Examples read the API key from $GANTRY_API_KEY.'),
    h('nav', { class: 'ref-tags', 'aria-label': 'Groups' }, groups(doc, all).map((g) => h('a', { href: `#tag-${g.name}` }, g.name))),
    filter, list);
  show(all);
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

function group(doc, g) {
  return h('section', { class: 'ref-group', id: `tag-${g.name}` },
    h('h2', {}, g.name), g.description ? h('p', { class: 'muted' }, g.description) : null,
    g.operations.map((op) => operation(doc, op)));
}

function operation(doc, op) {
  return h('details', { class: 'ref-op', id: op.id, 'data-operation': `${op.method} ${op.path}` },
    h('summary', {},
      h('span', { class: ['ref-method', `ref-${op.method.toLowerCase()}`] }, op.method),
      h('code', { class: 'ref-path' }, op.path),
      h('span', { class: 'ref-summary' }, op.summary),
      op.public ? h('span', { class: 'badge idle' }, 'public') : null,
      op.streams ? h('span', { class: 'badge busy' }, 'stream') : null),
    op.description ? h('p', {}, op.description) : null,
    op.public ? null : h('p', { class: 'muted' }, 'Needs an API key (Authorization: Bearer …) or a console session.'),
    op.parameters.length ? table('Parameters', ['name', 'in', 'type', 'rule'], op.parameters.map((p) => [
      p.name + (p.required ? ' *' : ''), p.in, p.schema?.type || '', [p.description, p.schema?.maximum !== undefined
        ? `${p.schema.minimum ?? ''} to ${p.schema.maximum}` : null].filter(Boolean).join('; ')])) : null,
    op.body ? body(op.body) : null,
    table('Responses', ['status', 'meaning', 'body'], op.responses.map((r) => [r.status, r.description,
      [r.schema, ...r.types.filter((t) => t !== 'application/json')].filter(Boolean).join(', ')])),
    op.responses.filter((r) => r.schema && r.status.startsWith('2')).map((r) => schemaBlock(doc, r.schema)),
    h('h4', {}, 'Example'),
    h('pre', { class: 'ref-curl', 'data-test': 'ref-curl' }, curl(op, location.origin)));
}

function body(b) {
  return [h('h4', {}, `Request body${b.name ? `: ${b.name}` : ''}`),
    b.schema.description ? h('p', { class: 'muted' }, b.schema.description) : null,
    table(null, ['field', 'type', 'rule'], fields(b.schema).map((f) => [f.name + (f.required ? ' *' : ''), f.type, f.rule]))];
}

function schemaBlock(doc, name) {
  const { schema } = resolve(doc, { $ref: `#/components/schemas/${name}` });
  const rows = fields(schema);
  return rows.length ? [h('h4', {}, `Response: ${name}`),
    table(null, ['field', 'type', 'meaning'], rows.map((f) => [f.name, f.type, f.rule]))] : null;
}

function table(title, head, rows) {
  return [title ? h('h4', {}, title) : null,
    h('table', { class: 'ref-table' }, h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, row.map((c) => h('td', {}, c))))))];
}

start();
