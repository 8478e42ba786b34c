// The deploy form's rules, kept pure (model-form.test.mjs): what the form sends and what it refuses
// before the API would. The API checks the same things again; its message is shown when it differs.

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Splits a command line into words: whitespace separates, quotes group, backslash escapes. */
export function splitArgs(text) {
  const words = [];
  let word = '';
  let quote = null;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && quote !== "'") {
      word += text[++i];
      started = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} quote`);
  if (started) words.push(word);
  return words;
}

/** Sources the nodes download from a hub (Hugging Face, ModelScope). */
export const HUBS = ['huggingface', 'modelscope'];

const REPO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Puts a hub model's fields into body; answers the errors of those fields. */
function hubFields(values, backend, body) {
  const errors = {};
  const repo = (values.repo || '').trim();
  if (!REPO_PATTERN.test(repo)) errors.repo = 'The repository as owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF.';
  body.repo = repo;
  const file = (values.file || '').trim();
  if (file) body.file = file;
  if ((backend === 'llama.cpp' || backend === 'builtin') && !file.toLowerCase().endsWith('.gguf')) {
    errors.file = `${backend} serves GGUF files: the file or glob to take, e.g. *Q4_K_M*.gguf.`;
  }
  const revision = (values.revision || '').trim();
  if (revision) body.revision = revision;
  const endpoint = (values.hub_endpoint || '').trim();
  if (endpoint && !/^https?:\/\/[^/]/.test(endpoint)) errors.hub_endpoint = 'An http(s) URL, e.g. https://hf-mirror.com.';
  else if (endpoint) body.hub_endpoint = endpoint;
  const token = (values.hub_token || '').trim();
  if (token) body.hub_token = token;
  return errors;
}

/** Backends whose options depend on the engine version a node has. */
export const VERSIONED = ['vllm', 'sglang', 'mindie'];

/**
 * Checks the form's values (strings as typed) and builds the ModelCreate body.
 * Answers { body } when valid, else { errors: { field: message } }.
 */
export function buildModel(values) {
  const errors = {};
  const name = (values.name || '').trim();
  if (!name) errors.name = 'Give the model a name; clients pass it as "model".';
  else if (!NAME_PATTERN.test(name)) errors.name = 'Letters, digits and . _ : - only, starting with a letter or digit.';

  const source = values.source || 'local_path';
  const backend = values.backend || (source === 'builtin' ? 'builtin' : 'llama.cpp');
  const body = { name, source, backend };

  if (source === 'builtin') {
    body.builtin_model = values.builtin_model || 'all-minilm-l6-v2';
    if (backend !== 'builtin') errors.backend = 'Bundled models run on the builtin backend.';
  } else if (HUBS.includes(source)) {
    Object.assign(errors, hubFields(values, backend, body));
  } else {
    const path = (values.local_path || '').trim();
    if (!path) errors.local_path = "The model file's absolute path on the nodes.";
    else if (!path.startsWith('/')) errors.local_path = 'The path must be absolute (start with /).';
    else if (backend === 'llama.cpp' && !path.toLowerCase().endsWith('.gguf')) errors.local_path = 'llama.cpp serves .gguf files.';
    else if (backend === 'builtin' && !/\.(gguf|onnx)$/i.test(path)) errors.local_path = 'The builtin backend serves .gguf and .onnx files.';
    body.local_path = path;
  }

  const version = (values.backend_version || '').trim();
  if (version && VERSIONED.includes(backend)) body.backend_version = version;

  if (backend === 'custom') {
    const command = (values.run_command || '').trim();
    if (!command) errors.run_command = 'The command that starts the engine, e.g. my-server --port {{port}} --model {{model_path}}';
    else body.run_command = command;
  }

  const replicas = String(values.replicas ?? '1').trim();
  if (!/^\d+$/.test(replicas) || Number(replicas) > 1000) errors.replicas = 'A whole number from 0 to 1000.';
  else body.replicas = Number(replicas);

  if (values.placement_strategy) body.placement_strategy = values.placement_strategy;
  if (values.category) body.categories = [values.category];

  const parameters = (values.backend_parameters || '').trim();
  if (parameters) {
    try {
      body.backend_parameters = splitArgs(parameters);
    } catch (e) {
      errors.backend_parameters = `Cannot read the parameters: ${e.message}.`;
    }
  }
  return Object.keys(errors).length ? { errors } : { body };
}
