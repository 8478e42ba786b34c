// A replica's download in words: the summed progress of the instance and, for a replica placed over
// several nodes, one row per part (its node, state and own progress) with the part that holds the
// replica back marked, by the rule the server uses for the instance's message (ReplicaParts.fetchSummary).

/** "42% · 1.0 MiB of 2.5 MiB · 0.3 MiB/s · 5 s left" for a `download` object of the API. */
export function downloadText(d) {
  const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
  return `${d.percent}% · ${mib(d.bytes)} of ${mib(d.total_bytes)} · ${mib(d.bytes_per_second)}/s`
    + (d.eta_seconds == null ? '' : ` · ${d.eta_seconds} s left`);
}

/**
 * The parts of an instance, by rank: `slowest` on the part still fetching with the lowest percent (a part
 * without a download yet counts as lowest; the first wins a tie) while the instance is downloading over
 * more than one node, `failed` on a part in error. An instance on one node has no rows.
 */
export function partRows(instance) {
  const parts = (instance.parts || []).slice().sort((a, b) => a.rank - b.rank);
  let slowest = null;
  if (instance.state === 'downloading' && parts.length > 1) {
    for (const p of parts) {
      if (p.files_ready || p.state === 'error') continue;
      if (slowest === null || percentOf(p) < percentOf(slowest)) slowest = p;
    }
  }
  return parts.map((p) => ({
    rank: p.rank,
    role: p.role || (p.rank === 0 ? 'leader' : 'worker'),
    node: p.node_name,
    state: p.state,
    message: p.state_message || null,
    download: p.files_ready ? null : p.download || null,
    filesReady: Boolean(p.files_ready),
    slowest: p === slowest,
    failed: p.state === 'error',
  }));
}

function percentOf(part) {
  return part.download ? part.download.percent : -1;
}
