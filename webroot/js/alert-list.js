// Pure helpers for the Alerts page: the order alerts are shown in and the counts in its heading.

const RANK = { firing: 0, pending: 1, resolved: 2 };

/** Firing first, then pending, then resolved; within each the newest first (resolved: by when it resolved). */
export function orderAlerts(alerts) {
  const when = (a) => (a.state === 'resolved' ? a.resolved_at : a.firing_at || a.started_at) || '';
  return alerts.slice().sort((a, b) => (RANK[a.state] ?? 3) - (RANK[b.state] ?? 3) || when(b).localeCompare(when(a)));
}

/** How many alerts are in each state. */
export function countByState(alerts) {
  const counts = { firing: 0, pending: 0, resolved: 0 };
  for (const a of alerts) if (a.state in counts) counts[a.state] += 1;
  return counts;
}

/** What a rule watches, in words, e.g. "device temperature > 90 °C for 2 min on n2". */
export function describeRule(rule) {
  const unit = { device_temperature: ' °C', model_ttft_p95: ' s' }[rule.kind] || '';
  const threshold = rule.threshold == null ? ''
    : rule.kind === 'model_error_rate' ? ` > ${+(rule.threshold * 100).toFixed(2)} %` : ` > ${rule.threshold}${unit}`;
  const seconds = rule.for_seconds || 0;
  const forText = seconds === 0 ? '' : seconds % 60 === 0 ? ` for ${seconds / 60} min` : ` for ${seconds} s`;
  const scope = [rule.model && `model ${rule.model}`, rule.node && `node ${rule.node}`].filter(Boolean).join(', ');
  return `${rule.kind.replaceAll('_', ' ')}${threshold}${forText}${scope ? ` on ${scope}` : ''}`;
}
