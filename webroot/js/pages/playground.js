// Try a deployed model: chat with tokens appearing as they stream, or embed a few texts and
// compare them. Calls the gateway (/v1) with the session cookie, exactly as clients call it.

import { busy, errorBox, field, h, mount } from '../dom.js';
import { failure, get } from '../api.js';
import { readEventStream } from '../sse-lines.js';
import { cosine } from '../usage-data.js';

export default function render(main, { params }) {
  const tab = params.get('tab') === 'embeddings' ? 'embeddings' : 'chat';
  const panel = h('div', {});
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Playground' },
    [['chat', 'Chat'], ['embeddings', 'Embeddings']].map(([id, label]) => h('a', { role: 'tab', href: `#/playground?tab=${id}`,
      'aria-selected': String(id === tab), class: id === tab ? 'active' : '' }, label)));
  mount(main, h('div', { class: 'page-head' }, h('h1', {}, 'Playground')), tabs, panel);
  const controller = new AbortController();
  modelNames(controller.signal).then((names) => {
    if (controller.signal.aborted) return;
    if (!names.length) {
      mount(panel, h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, 'No models to try yet'),
        h('p', {}, 'Deploy a model and wait for a replica to be running.'), h('a', { class: 'button secondary', href: '#/models' }, 'Go to models')));
    } else if (tab === 'chat') {
      chat(panel, names, controller.signal);
    } else {
      embeddings(panel, names, controller.signal);
    }
  }, (e) => mount(panel, errorBox(e)));
  return () => controller.abort();
}

async function modelNames(signal) {
  const list = await get('/v1/models', { signal });
  return (list.data || []).map((m) => m.id).sort();
}

function modelSelect(names, id) {
  const remembered = localStorage.getItem(`gantry.playground.${id}`);
  const select = h('select', { name: 'model', id }, names.map((n) => h('option', { value: n, selected: n === remembered }, n)));
  select.addEventListener('change', () => localStorage.setItem(`gantry.playground.${id}`, select.value));
  return select;
}

function chat(panel, names, pageSignal) {
  const messages = [];
  const model = modelSelect(names, 'chat-model');
  const system = h('textarea', { name: 'system', rows: 3, placeholder: 'You are a helpful assistant.' });
  const temperature = h('input', { name: 'temperature', type: 'number', min: 0, max: 2, step: 0.1, value: '0.7', class: 'narrow' });
  const maxTokens = h('input', { name: 'max_tokens', type: 'number', min: 1, max: 32768, step: 1, value: '256', class: 'narrow' });
  const transcript = h('div', { class: 'transcript', 'aria-live': 'polite', 'data-test': 'transcript' },
    h('p', { class: 'muted' }, 'Send a message to start.'));
  const input = h('textarea', { name: 'prompt', rows: 3, 'aria-label': 'Message', placeholder: 'Message (Enter sends, Shift+Enter for a new line)' });
  const send = h('button', { type: 'submit', class: 'primary', 'data-test': 'send' }, 'Send');
  const stop = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Stop');
  const clear = h('button', { type: 'button', class: 'secondary', onclick: () => { messages.length = 0; mount(transcript); input.focus(); } }, 'Clear');
  const error = h('div', { class: 'form-error' });
  let running = null;

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => running?.abort());
  pageSignal.addEventListener('abort', () => running?.abort());

  const form = h('form', { class: 'composer', onsubmit: async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || running) return;
    if (!messages.length) transcript.replaceChildren();
    messages.push({ role: 'user', content: text });
    transcript.append(bubble('user', text));
    input.value = '';
    const reply = bubble('assistant', '');
    const stats = h('p', { class: 'muted small reply-stats' });
    transcript.append(reply, stats);
    const body = { model: model.value, stream: true, stream_options: { include_usage: true }, messages: [
      ...(system.value.trim() ? [{ role: 'system', content: system.value.trim() }] : []), ...messages] };
    if (temperature.value !== '') body.temperature = Number(temperature.value);
    if (maxTokens.value !== '') body.max_tokens = Number(maxTokens.value);
    running = new AbortController();
    stop.hidden = false;
    await busy(send, async () => {
      const content = reply.querySelector('.text');
      const started = performance.now();
      let chunks = 0;
      let usage = null;
      try {
        const res = await fetch('/v1/chat/completions', { method: 'POST', credentials: 'same-origin', signal: running.signal,
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify(body) });
        if (!res.ok) throw await failure(res);
        await readEventStream(res.body, (chunk) => {
          const delta = chunk.choices?.[0]?.delta?.content;
          if (delta) {
            content.textContent += delta;
            reply.dataset.chunks = String(++chunks);
            transcript.scrollTop = transcript.scrollHeight;
          }
          if (chunk.usage) usage = chunk.usage;
        });
        reply.dataset.done = 'true';
        const seconds = (performance.now() - started) / 1000;
        stats.textContent = usage
          ? `${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion tokens · ${seconds.toFixed(2)} s`
          : `${seconds.toFixed(2)} s`;
      } catch (err) {
        if (err.name === 'AbortError') {
          stats.textContent = 'Stopped.';
        } else {
          reply.remove();
          stats.replaceWith(errorBox(err));
        }
      } finally {
        messages.push({ role: 'assistant', content: content.textContent });
        running = null;
        stop.hidden = true;
      }
    }, error);
    input.focus();
  } }, input, h('div', { class: 'actions' }, error, clear, stop, send));

  mount(panel, h('div', { class: 'playground' },
    h('aside', { class: 'card params' }, h('h2', {}, 'Parameters'),
      field('Model', model), field('System prompt', system), field('Temperature', temperature, '0 gives the most likely words'),
      field('Max tokens', maxTokens)),
    h('section', { class: 'card chat' }, transcript, form)));
  input.focus();
}

function bubble(role, text) {
  return h('div', { class: `bubble ${role}`, 'data-role': role },
    h('span', { class: 'who small muted' }, role === 'user' ? 'You' : 'Model'), h('div', { class: 'text' }, text));
}

function embeddings(panel, names, pageSignal) {
  const model = modelSelect(names, 'embedding-model');
  const texts = h('textarea', { name: 'texts', rows: 5, spellcheck: 'false' },
    'A cat sits on the mat.\nA kitten rests on a rug.\nThe stock market fell sharply today.');
  const result = h('div', { class: 'similarity', 'data-test': 'similarity' });
  const run = h('button', { type: 'submit', class: 'primary', 'data-test': 'embed' }, 'Compare');
  const error = h('div', { class: 'form-error' });
  const form = h('form', { class: 'card stack', onsubmit: async (e) => {
    e.preventDefault();
    const inputs = texts.value.split('\n').map((t) => t.trim()).filter(Boolean).slice(0, 16);
    if (inputs.length < 2) {
      mount(error, errorBox(new Error('Write at least two texts, one per line.')));
      return;
    }
    await busy(run, async () => {
      const res = await fetch('/v1/embeddings', { method: 'POST', credentials: 'same-origin', signal: pageSignal,
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: model.value, input: inputs }) });
      if (!res.ok) throw await failure(res);
      const answer = await res.json();
      const vectors = answer.data.sort((a, b) => a.index - b.index).map((d) => d.embedding);
      mount(result, matrix(inputs, vectors), h('p', { class: 'muted small' },
        `${vectors[0].length} dimensions · ${answer.usage?.prompt_tokens ?? '?'} tokens`));
    }, error);
  } }, field('Model', model), field('Texts, one per line (up to 16)', texts), h('div', { class: 'actions' }, error, run));
  mount(panel, form, result);
}

function matrix(inputs, vectors) {
  const short = (t) => (t.length > 28 ? `${t.slice(0, 27)}…` : t);
  return h('div', { class: 'card table-wrap' }, h('table', { class: 'table matrix' },
    h('caption', {}, 'Cosine similarity'),
    h('thead', {}, h('tr', {}, h('td', {}), inputs.map((t, i) => h('th', { scope: 'col', title: t }, `${i + 1}`)))),
    h('tbody', {}, inputs.map((t, i) => h('tr', {}, h('th', { scope: 'row', title: t }, `${i + 1}. ${short(t)}`),
      vectors.map((v, j) => {
        const sim = cosine(vectors[i], v);
        return h('td', { class: 'cell', style: { '--sim': Math.max(0, sim).toFixed(3) } }, sim.toFixed(3));
      }))))));
}
