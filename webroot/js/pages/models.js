// Models: the deployed models with their replicas (live); for admins also the deploy form,
// scale/stop/start/delete and a log viewer per replica (the API refuses these to plain users).

import { badge, busy, confirmAction, empty, field, forget, h, loading, mount, reconcile, showFieldErrors, toast } from '../dom.js';
import { del, get, patch, post, seg } from '../api.js';
import { watch } from '../watch.js';
import { ago } from '../format.js';
import { buildModel, HUBS, VERSIONED } from '../model-form.js';
import { downloadText, partRows } from '../replica-download.js';
import { openLog } from './log-viewer.js';
import { modelMetrics } from './model-metrics.js';

const byName = (a, b) => a.name.localeCompare(b.name);

export default function render(main, { user }) {
  const admin = user.role === 'admin';
  let models = [];
  let instances = [];
  let ready = { models: false, instances: false };
  const list = h('div', { class: 'model-list', 'data-test': 'model-list' }, loading());
  const deployButton = h('button', { class: 'primary', 'aria-expanded': 'false', 'aria-controls': 'deploy',
    'data-test': 'deploy-open', onclick: () => toggleForm() }, 'Deploy a model');
  const form = deployForm(() => toggleForm(false));

  function toggleForm(open = form.section.hidden) {
    form.section.hidden = !open;
    deployButton.setAttribute('aria-expanded', String(open));
    if (open) form.focus();
  }

  mount(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Models'), admin && deployButton),
    form.section, list);

  function draw() {
    if (!ready.models) return;
    if (!models.length) {
      forget(list);
      mount(list, h('div', { class: 'card' }, admin
        ? empty('No models yet', 'Deploy a GGUF file on llama.cpp, the bundled embedding model, or your own engine.',
          h('button', { class: 'secondary', onclick: () => toggleForm(true) }, 'Deploy a model'))
        : empty('No models yet', 'An administrator deploys models.')));
      return;
    }
    if (!list.querySelector('.model-card')) list.replaceChildren();
    reconcile(list, models.slice().sort(byName), (m) => m.name,
      (m) => modelCard(m, () => instances.filter((i) => i.model_name === m.name), admin));
  }

  const stops = [
    watch('/v2/models', { onChange: (items, s) => { models = items; ready.models ||= s.ready || items.length > 0; draw(); } }),
    watch('/v2/model-instances', { onChange: (items) => { instances = items; draw(); } }),
  ];
  return () => stops.forEach((stop) => stop());
}

function modelCard(initial, replicasOf, admin) {
  let model = initial;
  let replicasDirty = false;
  const title = h('h2', {});
  const meta = h('p', { class: 'muted model-meta' });
  const summary = h('div', { class: 'replica-summary', 'data-test': 'replica-summary' });
  const errors = h('div', { class: 'action-error' });
  const replicas = h('input', { type: 'number', min: 0, max: 1000, class: 'narrow', name: 'replicas', 'aria-label': `Replicas of ${model.name}`,
    oninput: () => { replicasDirty = true; } });
  const scale = h('button', { class: 'secondary small', 'data-test': 'scale', onclick: () => busy(scale, async () => {
    const n = Number(replicas.value);
    if (!Number.isInteger(n) || n < 0 || n > 1000) throw new Error('Replicas must be a whole number from 0 to 1000.');
    await patch(`/v2/models/${seg(model.name)}`, { replicas: n });
    replicasDirty = false;
    toast(`${model.name}: ${n} replica${n === 1 ? '' : 's'}`);
  }, errors) }, 'Scale');
  const startStop = h('button', { class: 'secondary small', 'data-test': 'start-stop', onclick: () => toggleRunning() });
  const remove = h('button', { class: 'danger small', 'data-test': 'delete', onclick: () => deleteModel() }, 'Delete');
  const table = h('div', { class: 'instances' });
  const decisions = h('ol', { class: 'autoscale-events', 'data-test': 'autoscale-events' });
  const scaling = h('details', { class: 'autoscale', hidden: true },
    h('summary', {}, 'Scaling decisions'), decisions);
  let eventsFor = null;
  const el = h('article', { class: 'card model-card', 'data-model': model.name },
    h('div', { class: 'model-head' }, h('div', {}, title, meta), summary),
    admin && h('div', { class: 'model-actions' },
      h('label', { class: 'inline' }, 'Replicas', replicas), scale, startStop, remove),
    errors, table, scaling, modelMetrics(model.name).el);

  /** The autoscaler's last decisions, fetched again whenever the replicas change. */
  async function showDecisions() {
    const key = `${model.updated_at}/${model.replicas}`;
    if (!model.autoscale || eventsFor === key) return;
    eventsFor = key;
    try {
      const { items } = await get(`/v2/models/${seg(model.name)}/autoscale-events`);
      mount(decisions, ...(items.length ? items.map((e) => h('li', {},
        h('time', { datetime: e.at, title: e.at }, ago(e.at)), ' ', e.reason))
        : [h('li', { class: 'muted' }, 'No decision yet.')]));
    } catch (e) {
      mount(decisions, h('li', { class: 'muted' }, `Cannot load the decisions: ${e.message}`));
    }
  }

  async function toggleRunning() {
    if (model.replicas > 0) {
      const ok = await confirmAction({ title: `Stop ${model.name}?`, confirm: 'Stop',
        message: `All ${model.replicas} replica(s) stop; clients get errors until you start it again.` });
      if (!ok) return;
      localStorage.setItem(`gantry.replicas.${model.name}`, String(model.replicas));
      await busy(startStop, () => patch(`/v2/models/${seg(model.name)}`, { replicas: 0 }), errors);
    } else {
      const n = Number(localStorage.getItem(`gantry.replicas.${model.name}`)) || 1;
      await busy(startStop, () => patch(`/v2/models/${seg(model.name)}`, { replicas: n }), errors);
    }
  }

  async function deleteModel() {
    const ok = await confirmAction({ title: `Delete ${model.name}?`,
      message: 'The model is removed and its replicas stop on every node. This cannot be undone.' });
    if (!ok) return;
    const done = await busy(remove, () => del(`/v2/models/${seg(model.name)}`).then(() => true), errors);
    if (done) toast(`Deleted ${model.name}`);
  }

  function update(next) {
    model = next;
    const replicaList = replicasOf();
    title.textContent = model.name;
    const where = model.source === 'builtin' ? `bundled ${model.builtin_model}`
      : HUBS.includes(model.source) ? hubWhere(model) : model.local_path;
    meta.textContent = [model.backend, where, (model.categories || []).join(', '), model.placement_strategy].filter(Boolean).join(' · ');
    const running = replicaList.filter((i) => i.state === 'running').length;
    mount(summary, h('strong', {}, `${running} / ${model.replicas}`), ' running',
      model.autoscale && h('span', { class: 'muted', 'data-test': 'autoscale-range' },
        ` · autoscaled ${model.autoscale.min ?? 1}–${model.autoscale.max ?? Math.max(model.autoscale.min ?? 1, 1)}`));
    scaling.hidden = !model.autoscale;
    showDecisions();
    if (!replicasDirty && document.activeElement !== replicas) replicas.value = model.replicas;
    startStop.textContent = model.replicas > 0 ? 'Stop' : 'Start';
    mount(table, instanceTable(model, replicaList, admin));
  }

  return { el, update };
}

function instanceTable(model, replicaList, admin) {
  if (!replicaList.length) {
    return h('p', { class: 'muted' }, model.replicas > 0 ? 'Waiting for the scheduler to place replicas…' : 'Stopped: no replicas.');
  }
  const rows = replicaList.slice().sort(byName).map((i) => h('tr', { 'data-instance': i.name, 'data-state': i.state },
    h('td', { 'data-label': 'Replica' }, h('code', {}, i.name)),
    h('td', { 'data-label': 'Node' }, i.node_name || '—'),
    h('td', { 'data-label': 'State' }, badge(i.state), i.download && downloadBar(i.download),
      i.state_message && h('p', { class: 'state-message' }, i.state_message), partList(i)),
    h('td', { 'data-label': 'Restarts' }, i.restart_count ?? 0),
    h('td', { 'data-label': 'Updated' }, h('time', { datetime: i.updated_at, title: i.updated_at }, ago(i.updated_at))),
    h('td', {}, admin && h('button', { class: 'link', 'data-test': 'logs', onclick: () => openLog(i),
      disabled: !i.node_name }, 'Logs'))));
  return h('table', { class: 'table compact' },
    h('thead', {}, h('tr', {}, ['Replica', 'Node', 'State', 'Restarts', 'Updated', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
}

/** Where a hub model comes from: source, repo, file and the commit it was pinned to. */
function hubWhere(model) {
  const commit = model.resolved?.commit ? `@${model.resolved.commit.slice(0, 10)}` : '';
  return `${model.source} ${model.repo}${commit}${model.file ? ` ${model.file}` : ''}`;
}

/** A replica's download: a progress bar with percent, bytes, rate and time left. */
function downloadBar(d) {
  return h('div', { class: 'download', 'data-test': 'download-progress' },
    h('progress', { max: 100, value: d.percent, 'aria-label': `Download ${d.percent}%` }),
    h('span', { class: 'muted' }, downloadText(d)));
}

/** A replica over several nodes: each part's node, role and state, with its own download bar. */
function partList(instance) {
  const rows = partRows(instance);
  if (!rows.length) return null;
  return h('ul', { class: 'replica-parts', 'data-test': 'replica-parts', 'aria-label': `Parts of ${instance.name}` },
    rows.map((p) => h('li', { 'data-part': p.rank, 'data-node': p.node, 'data-state': p.state },
      h('span', { class: 'part-name' }, `Part ${p.rank} (${p.role}) on `, h('strong', {}, p.node)), ' ', badge(p.state),
      p.filesReady && h('span', { class: 'chip', 'data-test': 'files-ready' }, 'files ready'),
      p.slowest && h('span', { class: 'chip warn', 'data-test': 'slowest' }, 'slowest'),
      p.download && downloadBar(p.download),
      p.failed && p.message && h('p', { class: 'state-message', 'data-test': 'part-error' }, p.message))));
}

/** The answer of POST /v2/models/evaluate, in words: what one replica needs and which nodes hold it. */
function estimateView(result) {
  const gib = (b) => `${(b / 1073741824).toFixed(2)} GiB`;
  const fits = result.nodes.filter((n) => n.fits);
  return h('div', { class: 'estimate', 'data-test': 'estimate' },
    h('p', {}, h('strong', {}, `Needs ${gib(result.needed_bytes)} per replica`),
      result.estimate ? ` — ${result.estimate.breakdown}` : ' (files and engine; no safetensors headers to read)'),
    h('p', { class: fits.length ? '' : 'form-error' }, fits.length
      ? `Fits on: ${fits.map((n) => n.node_name + (n.devices.length ? ` (${n.devices.map((d) => d.id).join(', ')})` : '')).join('; ')}`
      : 'Fits on no ready node now.'));
}

function deployForm(onDone) {
  const control = {
    name: h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false', placeholder: 'qwen2.5-0.5b' }),
    source: h('select', { name: 'source' }, h('option', { value: 'local_path' }, 'A model file on the nodes'),
      h('option', { value: 'builtin' }, 'Bundled model'), h('option', { value: 'huggingface' }, 'Hugging Face'),
      h('option', { value: 'modelscope' }, 'ModelScope')),
    repo: h('input', { name: 'repo', spellcheck: 'false', placeholder: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF' }),
    file: h('input', { name: 'file', spellcheck: 'false', placeholder: '*q4_k_m*.gguf' }),
    revision: h('input', { name: 'revision', spellcheck: 'false', placeholder: 'main', class: 'narrow' }),
    hub_endpoint: h('input', { name: 'hub_endpoint', spellcheck: 'false', placeholder: 'https://huggingface.co' }),
    hub_token: h('input', { name: 'hub_token', type: 'password', autocomplete: 'off', spellcheck: 'false' }),
    builtin_model: h('select', { name: 'builtin_model' }, h('option', { value: 'all-minilm-l6-v2' }, 'all-MiniLM-L6-v2 (embeddings)'),
      h('option', { value: 'gantry-tiny-chat' }, 'gantry-tiny-chat (a demo chat model with a fixed reply)')),
    backend: h('select', { name: 'backend' }, h('option', { value: 'llama.cpp' }, 'llama.cpp'),
      h('option', { value: 'builtin' }, 'builtin'), h('option', { value: 'vllm' }, 'vLLM'),
      h('option', { value: 'sglang' }, 'SGLang'), h('option', { value: 'mindie' }, 'MindIE (Ascend)'),
      h('option', { value: 'custom' }, 'custom command')),
    backend_version: h('input', { name: 'backend_version', spellcheck: 'false', placeholder: 'newest on the nodes', class: 'narrow' }),
    local_path: h('input', { name: 'local_path', spellcheck: 'false', placeholder: '/models/qwen2.5-0.5b-instruct-q4_k_m.gguf' }),
    run_command: h('input', { name: 'run_command', spellcheck: 'false', placeholder: 'my-server --port {{port}} --model {{model_path}}' }),
    replicas: h('input', { name: 'replicas', type: 'number', min: 0, max: 1000, value: '1', class: 'narrow' }),
    placement_strategy: h('select', { name: 'placement_strategy' }, h('option', { value: 'spread' }, 'spread across nodes'),
      h('option', { value: 'binpack' }, 'binpack onto few nodes')),
    category: h('select', { name: 'category' }, h('option', { value: '' }, 'chosen by the backend'),
      h('option', { value: 'llm' }, 'llm (chat, completions)'), h('option', { value: 'embedding' }, 'embedding'),
      h('option', { value: 'reranker' }, 'reranker')),
    backend_parameters: h('textarea', { name: 'backend_parameters', rows: 2, spellcheck: 'false', placeholder: '-c 4096 --flash-attn' }),
  };
  const fields = {
    name: field('Name', control.name, 'What clients pass as "model".'),
    source: field('Source', control.source),
    builtin_model: field('Bundled model', control.builtin_model),
    repo: field('Repository', control.repo, 'owner/name on the hub.'),
    file: field('File', control.file, 'A path or glob; for GGUF repos the quantisation to take (all its shards).'),
    revision: field('Revision', control.revision, 'Branch, tag or commit; pinned to its commit when deployed.'),
    hub_endpoint: field('Hub endpoint', control.hub_endpoint, 'Empty: the nodes\' HF_ENDPOINT / MODELSCOPE_ENDPOINT, else the public hub.'),
    hub_token: field('Hub token', control.hub_token, 'For private or gated repos; stored sealed, never shown again.'),
    backend: field('Backend', control.backend),
    backend_version: field('Engine version', control.backend_version, 'Empty: the newest a node has (GET /v2/inference-backends lists them).'),
    local_path: field('Model file', control.local_path, 'Absolute path; the file must exist on the nodes that run it.'),
    run_command: field('Run command', control.run_command, 'Placeholders: {{port}} {{host}} {{model_path}} {{model_name}} {{api_key}} {{gpu_ids}}'),
    replicas: field('Replicas', control.replicas),
    placement_strategy: field('Placement', control.placement_strategy),
    category: field('Category', control.category),
    backend_parameters: field('Backend parameters', control.backend_parameters, 'Extra engine arguments, as on a command line.'),
  };
  const formError = h('div', { class: 'form-error', 'data-test': 'deploy-error' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'deploy-submit' }, 'Deploy');
  const estimate = h('div', { class: 'estimate-result', 'aria-live': 'polite' });
  const estimateButton = h('button', { type: 'button', class: 'secondary', 'data-test': 'deploy-estimate',
    onclick: () => evaluate() }, 'Estimate');
  const sync = () => {
    const builtin = control.source.value === 'builtin';
    if (builtin) control.backend.value = 'builtin';
    const hub = HUBS.includes(control.source.value);
    fields.builtin_model.hidden = !builtin;
    fields.local_path.hidden = builtin || hub;
    ['repo', 'file', 'revision', 'hub_endpoint', 'hub_token'].forEach((f) => { fields[f].hidden = !hub; });
    fields.run_command.hidden = control.backend.value !== 'custom';
    fields.backend_version.hidden = !VERSIONED.includes(control.backend.value);
  };
  control.source.addEventListener('change', sync);
  control.backend.addEventListener('change', sync);
  const form = h('form', { class: 'form-grid', novalidate: true, 'data-test': 'deploy-form', onsubmit: submitForm },
    Object.values(fields), estimate, h('div', { class: 'form-actions' }, formError,
      h('button', { type: 'button', class: 'secondary', onclick: () => onDone() }, 'Cancel'), estimateButton, submit));
  const section = h('section', { class: 'card deploy', id: 'deploy', hidden: true, 'aria-labelledby': 'deploy-title' },
    h('h2', { id: 'deploy-title' }, 'Deploy a model'), form);
  sync();

  /** Asks what the model would need and where it fits, before Deploy (nothing is stored). */
  async function evaluate() {
    formError.replaceChildren();
    const values = Object.fromEntries(Object.entries(control).map(([k, c]) => [k, c.value]));
    const { body, errors } = buildModel({ ...values, name: values.name || 'estimate' });
    showFieldErrors(form, errors);
    if (errors) return;
    delete body.name;
    delete body.replicas;
    const result = await busy(estimateButton, () => post('/v2/models/evaluate', body), formError);
    if (result) mount(estimate, estimateView(result));
  }

  async function submitForm(event) {
    event.preventDefault();
    formError.replaceChildren();
    const values = Object.fromEntries(Object.entries(control).map(([k, c]) => [k, c.value]));
    const { body, errors } = buildModel(values);
    showFieldErrors(form, errors);
    if (errors) return;
    const created = await busy(submit, () => post('/v2/models', body), formError);
    if (!created) return;
    toast(`Deploying ${created.name}`);
    form.reset();
    sync();
    onDone();
  }
  return { section, focus: () => control.name.focus() };
}
