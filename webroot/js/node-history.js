// A node's history (GET /v2/metrics/nodes/{name}) as line-chart series: percentages of CPU, memory,
// and per device utilisation and memory (its total from the node record), plus device temperature
// and power. Pure, so node --test checks it.

export const RANGES = ['1h', '24h', '30d'];

const points = (pairs, f = (v) => v) => (pairs || []).map(([x, v]) => ({ x, y: f(v) }));

/** Percent of a total that may change over time: each used point against the total nearest before it. */
function share(used, totals) {
  if (!totals || !totals.length) return [];
  let j = 0;
  return (used || []).map(([x, v]) => {
    while (j + 1 < totals.length && totals[j + 1][0] <= x) j++;
    const total = totals[j][1];
    return { x, y: total > 0 ? (100 * v) / total : 0 };
  });
}

/** CPU and memory of the node, percent. */
export function nodeSeries(history) {
  return [
    { name: 'CPU', points: points(history.cpu, (v) => v * 100) },
    { name: 'memory', points: share(history.memory_used, history.memory_total) },
  ];
}

/**
 * One entry per device of the history: {id, name, usage: [utilisation %, memory %], readings:
 * [temperature °C, power W]}; `devices` (the node record's) gives names and memory totals.
 */
export function deviceSeries(history, devices = []) {
  const known = new Map(devices.map((d) => [d.id, d]));
  return (history.devices || []).map((d) => {
    const record = known.get(d.id) || {};
    const total = record.memory_total;
    return {
      id: d.id,
      name: record.name || '',
      usage: [
        { name: 'utilisation', points: points(d.utilization, (v) => v * 100) },
        { name: 'memory', points: total > 0 ? points(d.memory_used, (v) => (100 * v) / total) : [] },
      ],
      readings: [
        { name: '°C', points: points(d.temperature) },
        { name: 'W', points: points(d.power) },
      ],
    };
  });
}

/** How to label times of a range: clock time for an hour or a day, day and hour for a month. */
export function timeLabel(range) {
  return range === '30d'
    ? (ms) => new Date(ms).toISOString().slice(5, 13).replace('T', ' ') + 'h'
    : (ms) => new Date(ms).toTimeString().slice(0, 5);
}
