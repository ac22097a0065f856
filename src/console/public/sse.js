// Reads a Server-Sent Events response as parsed JSON events: { event, data }. `data: [DONE]` ends the stream.

export async function* readSse(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let cut = buffer.search(/\r?\n\r?\n/); cut >= 0; cut = buffer.search(/\r?\n\r?\n/)) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
        const ev = parseBlock(block);
        if (!ev) continue;
        if (ev.data === '[DONE]') return;
        yield { event: ev.event, data: safeJson(ev.data) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function parseBlock(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}

function safeJson(s) {
  try {
    return JSON.parse(s);
  } catch {
    return { message_type: 'error_message', message: `unreadable event: ${s.slice(0, 200)}` };
  }
}
