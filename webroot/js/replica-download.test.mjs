import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downloadText, partRows } from './replica-download.js';

const download = (percent) => ({ percent, bytes: percent * 1048576, total_bytes: 100 * 1048576,
  bytes_per_second: 1048576, eta_seconds: 100 - percent });

test('a download reads as percent, bytes, rate and time left; no time left while unknown', () => {
  assert.equal(downloadText(download(40)), '40% · 40.0 MiB of 100.0 MiB · 1.0 MiB/s · 60 s left');
  assert.equal(downloadText({ ...download(40), eta_seconds: null }), '40% · 40.0 MiB of 100.0 MiB · 1.0 MiB/s');
});

test('a replica on one node has no part rows', () => {
  assert.deepEqual(partRows({ state: 'downloading', download: download(10) }), []);
});

test('each part keeps its node, state and own download, by rank; the lowest percent is the slowest', () => {
  const rows = partRows({ state: 'downloading', parts: [
    { rank: 1, role: 'worker', node_name: 'node-b', state: 'downloading', download: download(20) },
    { rank: 0, role: 'leader', node_name: 'node-a', state: 'downloading', download: download(70) },
  ] });
  assert.deepEqual(rows.map((r) => [r.rank, r.role, r.node, r.state, r.download.percent, r.slowest]),
    [[0, 'leader', 'node-a', 'downloading', 70, false], [1, 'worker', 'node-b', 'downloading', 20, true]]);
});

test('a part whose node holds the files shows no bar and is never the slowest; one not started yet is', () => {
  const rows = partRows({ state: 'downloading', parts: [
    { rank: 0, node_name: 'a', state: 'scheduled', files_ready: true, download: download(100) },
    { rank: 1, node_name: 'b', state: 'downloading', download: download(30) },
    { rank: 2, node_name: 'c', state: 'scheduled' },
  ] });
  assert.deepEqual(rows.map((r) => [r.role, r.filesReady, r.download?.percent ?? null, r.slowest]),
    [['leader', true, null, false], ['worker', false, 30, false], ['worker', false, null, true]]);
});

test('a failed part is marked failed with its message; nothing is slowest once the replica runs', () => {
  const failed = partRows({ state: 'error', parts: [
    { rank: 0, node_name: 'a', state: 'scheduled', files_ready: true },
    { rank: 1, node_name: 'b', state: 'error', state_message: 'download failed on b: disk full' },
  ] });
  assert.deepEqual(failed.map((r) => [r.failed, r.slowest, r.message]),
    [[false, false, null], [true, false, 'download failed on b: disk full']]);
  const running = partRows({ state: 'running', parts: [
    { rank: 0, node_name: 'a', state: 'running' }, { rank: 1, node_name: 'b', state: 'running' }] });
  assert.deepEqual(running.map((r) => r.slowest), [false, false]);
});
