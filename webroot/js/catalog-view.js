// Pure helpers of the Catalog page (tested with node --test): how a spec's hardware and engine read,
// and the model body a spec deploys under a name.

const VENDORS = { cpu: 'CPU', nvidia: 'NVIDIA', amd: 'AMD', ascend: 'Ascend', hygon: 'Hygon', cambricon: 'Cambricon',
  iluvatar: 'Iluvatar', metax: 'MetaX', mthreads: 'Moore Threads' };

/** "4 × NVIDIA ≥ 80 GiB, compute 8.0+" or "CPU, 16 GiB RAM". */
export function describeHardware(hardware = {}) {
  const vendor = VENDORS[hardware.vendor] || hardware.vendor || 'CPU';
  const parts = [];
  if (hardware.vendor === 'cpu' || !hardware.vendor) {
    parts.push('CPU');
  } else {
    const count = hardware.device_count || 1;
    let device = `${count > 1 ? `${count} × ` : ''}${vendor}${hardware.device_name ? ` ${hardware.device_name}` : ''}`;
    if (hardware.min_device_memory_gib) device += ` ≥ ${hardware.min_device_memory_gib} GiB`;
    parts.push(device);
    if (hardware.min_compute_capability) parts.push(`compute ${hardware.min_compute_capability}+`);
  }
  if (hardware.min_node_memory_gib) parts.push(`${hardware.min_node_memory_gib} GiB RAM`);
  return parts.join(', ');
}

/** "vllm >=0.8.5" or "llama.cpp". */
export function describeEngine(spec) {
  return spec.backend_versions ? `${spec.backend} ${spec.backend_versions}` : spec.backend;
}

/** What speculative decoding or host KV cache a spec turns on, for a short note ('' when neither). */
export function describeTuning(model = {}) {
  const notes = [];
  if (model.speculative) notes.push(`speculative decoding (${model.speculative.algorithm})`);
  if (model.kv_cache) {
    const size = model.kv_cache.host_memory_gib ? `${model.kv_cache.host_memory_gib} GiB` : `${model.kv_cache.host_memory_ratio}×`;
    notes.push(`KV cache in host memory (${size})`);
  }
  return notes.join(', ');
}

/**
 * The POST /v2/models body for a spec: its model under the given name, with the edited JSON of the
 * rest when the user changed it. Answers { body } or { error } (a message naming what is wrong).
 */
export function deployBody(name, editedJson) {
  const trimmed = (name || '').trim();
  if (!trimmed) return { error: 'Give the model a name; clients pass it as "model".' };
  let model;
  try {
    model = JSON.parse(editedJson);
  } catch (e) {
    return { error: `The settings are not valid JSON: ${e.message}` };
  }
  if (!model || typeof model !== 'object' || Array.isArray(model)) return { error: 'The settings must be a JSON object.' };
  return { body: { ...model, name: trimmed } };
}
