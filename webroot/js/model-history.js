// A model's history (GET /v2/metrics/models/{name}) as chart specs: its engines' queue, KV cache use,
// latencies and throughput next to the gateway's requests and time to first token. Pure, so node --test
// checks it.

const points = (pairs, f = (v) => v) => (pairs || []).map(([x, v]) => ({ x, y: f(v) }));
const ms = (v) => v * 1000;

/** One entry per chart: {id, title, unit, yMax?, series: [{name, points: [{x, y}]}]}; charts without data are left out. */
export function modelCharts(history) {
  const s = history.series || {};
  const charts = [
    { id: 'queue', title: 'Engine requests', unit: '',
      series: [{ name: 'running', points: points(s.requests_running) }, { name: 'waiting', points: points(s.requests_waiting) }] },
    { id: 'kv-cache', title: 'KV cache use', unit: '%', yMax: 100,
      series: [{ name: 'KV cache', points: points(s.kv_cache_usage_ratio, (v) => v * 100) }] },
    { id: 'latency', title: 'Latency', unit: 'ms',
      series: [{ name: 'engine TTFT', points: points(s.ttft_seconds, ms) },
        { name: 'engine TPOT', points: points(s.time_per_output_token_seconds, ms) },
        { name: 'gateway TTFT', points: points(s.gateway_ttft_seconds, ms) }] },
    { id: 'throughput', title: 'Tokens per second', unit: 'tok/s',
      series: [{ name: 'generated', points: points(s.generation_tokens_per_second) }] },
    { id: 'gateway', title: 'Gateway requests per second', unit: 'req/s',
      series: [{ name: 'requests', points: points(s.gateway_requests_per_second) },
        { name: 'server errors', points: points(s.gateway_errors_per_second) }] },
  ];
  return charts.filter((c) => c.series.some((one) => one.points.length));
}

/** The newest value of a chart's first series with data, formatted with its unit, or ''. */
export function latest(chart) {
  const one = chart.series.find((s) => s.points.length);
  if (!one) return '';
  const y = one.points[one.points.length - 1].y;
  const shown = Number.isInteger(y) || Math.abs(y) >= 10 ? Math.round(y) : Number(y.toPrecision(2));
  return `${one.name} ${shown}${chart.unit ? ` ${chart.unit}` : ''}`;
}
