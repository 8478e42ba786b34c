// "Find the best spec" runs as the console shows them: a progress line, one row per candidate with the
// winner marked, and the request body the start form sends. Pure, so node --test checks it.

const ENDED = new Set(['completed', 'cancelled', 'failed']);

export const ended = (run) => ENDED.has(run.state);

/** "candidate 2 of 4: benchmarking", or the run's message once it ended. */
export function progressText(run) {
  if (ended(run)) return run.message || run.state;
  const p = run.progress || {};
  return p.candidate ? `candidate ${p.candidate} of ${p.total}: ${p.step}` : 'starting';
}

/** What a candidate changes, as words: `replicas=2, backend_parameters=--ctx-size 4096`. */
export function describeValues(values = {}) {
  return Object.entries(values).map(([k, v]) => `${k}=${Array.isArray(v) ? (v.join(' ') || '(none)') : typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(', ');
}

/** One row per candidate: index, what it tries, state, figures, SLA verdict and whether it won. */
export function candidateRows(run) {
  return (run.candidates || []).map((c) => {
    const f = c.figures || {};
    return {
      index: c.index,
      values: describeValues(c.values),
      state: c.state,
      message: c.message || c.cleanup || '',
      tokensPerSecond: f.output_token_throughput ?? null,
      ttftP95: f.ttft_p95_ms ?? null,
      tpotP95: f.tpot_p95_ms ?? null,
      sla: c.figures ? (f.sla_met ? 'met' : 'missed') : '',
      winner: c.winner === true,
    };
  });
}

/** The POST /v2/tuning-runs body from the form's fields; {error} says what is wrong. */
export function startBody({ family, spec, grid, requests, concurrency, maxTokens, sla }) {
  if (!family?.trim()) return { error: 'Choose a catalog family.' };
  let parsedGrid;
  if (grid?.trim()) {
    try {
      parsedGrid = JSON.parse(grid);
    } catch {
      return { error: 'The grid is not valid JSON.' };
    }
    if (!parsedGrid || typeof parsedGrid !== 'object' || Array.isArray(parsedGrid)) {
      return { error: 'The grid is a JSON object, e.g. {"replicas": [1, 2]}.' };
    }
  }
  const body = { family: family.trim(), profile: { requests: Number(requests), concurrency: Number(concurrency), max_tokens: Number(maxTokens) } };
  if (spec) body.spec = spec;
  if (parsedGrid) body.grid = parsedGrid;
  if (sla) body.sla = sla;
  return { body };
}

/** A measured catalog spec's figures in a line: `measured: 412 tokens/s, TTFT p95 85 ms, SLA chat met`; '' for curated specs. */
export function describeMeasured(spec) {
  if (spec.source !== 'measured' || !spec.figures) return '';
  const f = spec.figures;
  const sla = typeof f.sla === 'string' ? f.sla : f.sla?.preset;
  const parts = [`${f.output_token_throughput} tokens/s`];
  if (f.ttft_p95_ms !== null && f.ttft_p95_ms !== undefined) parts.push(`TTFT p95 ${Math.round(f.ttft_p95_ms)} ms`);
  if (sla) parts.push(`SLA ${sla} ${f.sla_met ? 'met' : 'missed'}`);
  return `measured on this cluster: ${parts.join(', ')}`;
}
