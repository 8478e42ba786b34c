// The engine log of one replica in a dialog: the last 200 lines, then whatever the engine writes,
// read from a streaming response body until the dialog closes.

import { h } from '../dom.js';
import { failure, seg } from '../api.js';

const MAX_CHARS = 400_000;

export function openLog(instance) {
  const controller = new AbortController();
  const pre = h('pre', { class: 'log', tabindex: '0', 'data-test': 'log-text', 'aria-label': `Log of ${instance.name}` });
  const follow = h('input', { type: 'checkbox', checked: true, id: 'log-follow' });
  const status = h('p', { class: 'muted log-status', role: 'status' }, 'Connecting…');
  const close = h('button', { class: 'secondary', onclick: () => dialog.close() }, 'Close');
  const dialog = h('dialog', { class: 'log-dialog', 'aria-labelledby': 'log-title', 'data-test': 'log-dialog' },
    h('div', { class: 'log-head' },
      h('h2', { id: 'log-title' }, `Log of ${instance.name}`, h('span', { class: 'muted' }, ` on ${instance.node_name}`)),
      h('label', { class: 'inline', for: 'log-follow' }, follow, 'Follow'), close),
    pre, status);
  dialog.addEventListener('close', () => {
    controller.abort();
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  stream(instance, pre, follow, status, controller.signal);
}

async function stream(instance, pre, follow, status, signal) {
  try {
    const res = await fetch(`/v2/model-instances/${seg(instance.id)}/logs?tail=200&follow=true`,
      { credentials: 'same-origin', signal });
    if (!res.ok) throw await failure(res);
    status.textContent = 'Following the log as it grows.';
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let text = pre.textContent + value;
      if (text.length > MAX_CHARS) text = text.slice(text.indexOf('\n', text.length - MAX_CHARS) + 1);
      pre.textContent = text;
      if (follow.checked) pre.scrollTop = pre.scrollHeight;
    }
    status.textContent = 'The log stream ended (the replica stopped or moved).';
  } catch (e) {
    if (e.name !== 'AbortError') status.textContent = `Cannot read the log: ${e.message}`;
  }
}
