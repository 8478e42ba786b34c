// Reads an OpenAPI 3.1 document into what the API reference page shows: operations grouped by tag,
// their parameters and body fields with the rule of each, and an example curl command. Pure (no DOM),
// tested with node --test (api-doc.test.mjs).

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The schema a `$ref` points to, and its name; a schema without `$ref` is answered as is. */
export function resolve(doc, schema) {
  const ref = schema?.$ref;
  if (!ref) return { name: null, schema: schema || {} };
  const name = ref.split('/').pop();
  return { name, schema: doc.components?.schemas?.[name] || {} };
}

/** Every operation of the document, in document order, ready to show. */
export function operations(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = [...(item.parameters || []), ...(op.parameters || [])]
        .map((p) => (p.$ref ? doc.components?.parameters?.[p.$ref.split('/').pop()] : p)).filter(Boolean);
      const media = op.requestBody?.content?.['application/json'];
      const body = media ? { ...resolve(doc, media.schema), example: media.example } : null;
      const responses = Object.entries(op.responses || {}).map(([status, r]) => ({
        status,
        description: r.description || '',
        types: Object.keys(r.content || {}),
        schema: resolve(doc, r.content?.['application/json']?.schema).name,
      }));
      out.push({
        id: `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '').toLowerCase(),
        tag: op.tags?.[0] || 'other',
        method: method.toUpperCase(),
        path,
        summary: op.summary || '',
        description: op.description || '',
        public: Array.isArray(op.security) && op.security.length === 0,
        streams: responses.some((r) => r.types.includes('text/event-stream')),
        parameters,
        body,
        responses,
      });
    }
  }
  return out;
}

/** Operations grouped by tag, in the order of the document's `tags`, then the others. */
export function groups(doc, ops = operations(doc)) {
  const described = (doc.tags || []).map((t) => t.name);
  const names = [...new Set([...described, ...ops.map((o) => o.tag)])];
  return names.map((name) => ({
    name,
    description: (doc.tags || []).find((t) => t.name === name)?.description || '',
    operations: ops.filter((o) => o.tag === name),
  })).filter((g) => g.operations.length > 0);
}

/** Operations whose method, path, summary or tag contains the text (case-insensitive). */
export function matching(ops, text) {
  const needle = (text || '').trim().toLowerCase();
  if (!needle) return ops;
  return ops.filter((o) => `${o.method} ${o.path} ${o.summary} ${o.tag}`.toLowerCase().includes(needle));
}

/** One row per property of an object schema: name, type, whether required, and its rule in words. */
export function fields(schema) {
  const required = new Set(schema?.required || []);
  return Object.entries(schema?.properties || {}).map(([name, p]) => ({
    name,
    type: typeOf(p),
    required: required.has(name),
    rule: rule(p),
  }));
}

function typeOf(p) {
  if (p.enum) return 'enum';
  if (p.const !== undefined) return JSON.stringify(p.const);
  const type = Array.isArray(p.type) ? p.type.join(' | ') : p.type || 'any';
  return type === 'array' && p.items?.type ? `array of ${p.items.type}` : type;
}

/** What a value must be, in words: allowed values, limits, the pattern's rule, the description. */
export function rule(p) {
  const parts = [];
  const values = p.enum || p.items?.enum;
  if (values) parts.push(`one of: ${values.join(', ')}`);
  if (p['x-gantry-rule'] || p.items?.['x-gantry-rule']) parts.push(p['x-gantry-rule'] || p.items['x-gantry-rule']);
  else if (p.pattern) parts.push(`matches ${p.pattern}`);
  const range = (min, max, unit) => {
    if (min !== undefined && max !== undefined) parts.push(`${min} to ${max}${unit}`);
    else if (min !== undefined) parts.push(`at least ${min}${unit}`);
    else if (max !== undefined) parts.push(`at most ${max}${unit}`);
  };
  range(p.minimum, p.maximum, '');
  range(p.minLength, p.maxLength, ' characters');
  range(p.minItems, p.maxItems, ' items');
  if (p.default !== undefined) parts.push(`default ${JSON.stringify(p.default)}`);
  if (p.description) parts.push(p.description);
  return parts.join('; ');
}

/** The body an example sends: the document's example, or the required fields with plausible values. */
export function exampleBody(op) {
  if (!op.body) return null;
  if (op.body.example !== undefined) return op.body.example;
  const out = {};
  const schema = op.body.schema;
  for (const name of schema.required || []) {
    const p = schema.properties?.[name] || {};
    const type = Array.isArray(p.type) ? p.type[0] : p.type;
    out[name] = p.enum ? p.enum[0] : type === 'integer' || type === 'number' ? (p.minimum ?? 1)
      : type === 'boolean' ? false : type === 'array' ? [] : type === 'object' ? {} : name;
  }
  return out;
}

/** A curl command that calls the operation on `base` (the node's URL), with a key from $GANTRY_API_KEY. */
export function curl(op, base) {
  const lines = [`curl -X ${op.method} '${base}${op.path}'`];
  if (!op.public) lines.push(`-H "Authorization: Bearer $GANTRY_API_KEY"`);
  const body = exampleBody(op);
  if (body !== null) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d '${JSON.stringify(body).replaceAll("'", "'\\''")}'`);
  }
  if (op.streams) lines.splice(1, 0, '-N');
  return lines.join(' \\\n  ');
}
