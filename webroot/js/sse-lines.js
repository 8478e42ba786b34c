// Server-sent events read from a fetch() body: feed text chunks as they arrive (split anywhere),
// get the `data:` payload of every complete event. Used by the playground for /v1/chat/completions.

export function sseParser() {
  let buffer = '';
  let data = [];

  function line(text, out) {
    if (text === '') {
      if (data.length) out.push(data.join('\n'));
      data = [];
    } else if (text.startsWith('data:')) {
      data.push(text.slice(text.startsWith('data: ') ? 6 : 5));
    }
  }

  return {
    /** Adds a chunk; answers the data of the events it completed. */
    push(chunk) {
      const out = [];
      buffer += chunk;
      let end;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const size = buffer.startsWith('\r\n', end) ? 2 : 1;
        if (buffer[end] === '\r' && end === buffer.length - 1) break;
        line(buffer.slice(0, end), out);
        buffer = buffer.slice(end + size);
      }
      return out;
    },
    /** The stream ended: answers the data of a last event that had no blank line after it. */
    end() {
      const out = [];
      if (buffer) line(buffer.replace(/\r$/, ''), out);
      buffer = '';
      line('', out);
      return out;
    },
  };
}

/** Reads an OpenAI-style stream: calls onChunk(json) for each event until `[DONE]` or the end. */
export async function readEventStream(body, onChunk) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = sseParser();
  const handle = (payloads) => {
    for (const payload of payloads) {
      if (payload.trim() === '[DONE]') return true;
      onChunk(JSON.parse(payload));
    }
    return false;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return handle(parser.end());
    if (handle(parser.push(value))) {
      reader.cancel().catch(() => {});
      return true;
    }
  }
}
