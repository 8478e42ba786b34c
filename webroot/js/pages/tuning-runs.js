// "Find the best spec", on the Benchmarks page: start a tuning run from a catalog spec and a parameter
// grid, follow it live (candidate i of n, its step) and read the table of candidates, the winner marked.

import { badge, busy, empty, field, h, mount, toast } from '../dom.js';
import { del, get, post, seg } from '../api.js';
import { watch } from '../watch.js';
import { candidateRows, ended, progressText, startBody } from '../tuning-view.js';

const ms = (v) => (v === null ? '–' : `${Number(v).toFixed(v < 10 ? 1 : 0)} ms`);

/** The section and its cleanup (the watch stream). */
export function tuningSection(admin) {
  const runs = h('div', { 'data-test': 'tuning-runs' });
  const section = h('section', { class: 'card', 'data-test': 'tuning-section' },
    h('h2', {}, 'Find the best spec'),
    h('p', { class: 'muted' }, 'Deploys each combination of a parameter grid in turn as a temporary model, benchmarks it ',
      'through the gateway and deletes it; the winner (meets the SLA, then the most tokens/s) becomes a catalog spec ',
      'measured on your hardware.'),
    admin && startForm(), runs);
  const stop = watch('/v2/tuning-runs', { onChange: (items) => mount(runs, items.length
    ? [...items].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || '')).slice(0, 10).map((run) => runCard(run, admin))
    : empty('No tuning run yet', admin ? 'Start one above.' : 'An administrator starts tuning runs.')) });
  return { section, stop };
}

function runCard(run, admin) {
  const cancel = admin && !ended(run) && h('button', { class: 'secondary small', 'data-test': 'tuning-cancel',
    onclick: () => busy(cancel, () => del(`/v2/tuning-runs/${seg(run.id)}`)) }, 'Cancel');
  return h('div', { class: 'tuning-run', 'data-tuning-run': run.id, 'data-state': run.state },
    h('h3', {}, `${run.family}${run.base_spec ? ` / ${run.base_spec}` : ''} · ${run.id} `,
      badge(run.state === 'completed' ? 'ok' : run.state, run.state), ' ', cancel || ''),
    h('p', { class: 'small', 'data-test': 'tuning-progress' }, progressText(run)),
    h('table', { class: 'table', 'data-test': 'tuning-candidates' },
      h('thead', {}, h('tr', {}, ['#', 'Tries', 'State', 'Tokens/s', 'TTFT p95', 'TPOT p95', 'SLA', '']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, candidateRows(run).map((c) => h('tr', { 'data-candidate': c.index, class: c.winner ? 'winner' : '' },
        h('td', {}, String(c.index)),
        h('td', {}, h('code', {}, c.values)),
        h('td', {}, badge(c.state === 'measured' ? 'ok' : c.state, c.state), c.message && h('p', { class: 'small muted' }, c.message)),
        h('td', {}, c.tokensPerSecond ?? '–'),
        h('td', {}, ms(c.ttftP95)),
        h('td', {}, ms(c.tpotP95)),
        h('td', {}, c.sla ? badge(c.sla === 'met' ? 'ok' : 'failed', c.sla) : '–'),
        h('td', {}, c.winner ? badge('ok', 'winner') : ''))))));
}

function startForm() {
  const family = h('select', { name: 'tuning_family' }, h('option', { value: '' }, 'Loading the catalog…'));
  const spec = h('select', { name: 'tuning_spec' });
  const grid = h('textarea', { name: 'tuning_grid', rows: 3, placeholder: '{"replicas": [1, 2]}' });
  const requests = h('input', { name: 'tuning_requests', type: 'number', min: 1, max: 10000, value: 20, class: 'narrow' });
  const concurrency = h('input', { name: 'tuning_concurrency', type: 'number', min: 1, max: 512, value: 2, class: 'narrow' });
  const maxTokens = h('input', { name: 'tuning_max_tokens', type: 'number', min: 1, max: 32768, value: 32, class: 'narrow' });
  const sla = h('select', { name: 'tuning_sla' }, ['chat', 'code-completion', 'batch'].map((p) => h('option', { value: p }, p)));
  const error = h('div', { class: 'action-error', role: 'alert', 'data-test': 'tuning-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'tuning-start' }, 'Find the best spec');
  let families = [];
  const pickFamily = () => {
    const chosen = families.find((f) => f.name === family.value);
    mount(spec, (chosen?.specs || []).map((s) => h('option', { value: s.id }, `${s.id} (${s.mode})`)));
    pickSpec();
  };
  const pickSpec = () => {
    const chosen = families.find((f) => f.name === family.value)?.specs.find((s) => s.id === spec.value);
    grid.value = chosen?.grid ? JSON.stringify(chosen.grid) : '';
  };
  family.onchange = pickFamily;
  spec.onchange = pickSpec;
  get('/v2/catalog').then((catalog) => {
    families = catalog.items.filter((f) => f.specs.some((s) => s.source !== 'measured'));
    mount(family, families.map((f) => h('option', { value: f.name }, f.title || f.name)));
    pickFamily();
  }).catch(() => mount(family, h('option', { value: '' }, 'Cannot read the catalog')));
  return h('form', { class: 'form inline-form', 'data-test': 'tuning-form', onsubmit: async (e) => {
    e.preventDefault();
    const { body, error: problem } = startBody({ family: family.value, spec: spec.value, grid: grid.value,
      requests: requests.value, concurrency: concurrency.value, maxTokens: maxTokens.value, sla: sla.value });
    if (problem) {
      error.textContent = problem;
      return;
    }
    const started = await busy(submit, () => post('/v2/tuning-runs', body), error);
    if (started) toast(`Tuning run ${started.id} started`);
  } }, field('Family', family), field('Start from spec', spec), field('Grid', grid, 'Per field, the alternatives to try; at most 8 combinations'),
  field('Requests', requests), field('Concurrency', concurrency), field('Max tokens', maxTokens), field('SLA', sla), error, submit);
}
