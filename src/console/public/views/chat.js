// Chat with an agent: token streaming over POST /messages/stream, approvals (approve / deny with a reason), stop.
import { api, errorOf, request } from '../api.js';
import { h, say } from '../dom.js';
import { readSse } from '../sse.js';
import { callsOf, createTranscript } from './transcript.js';

const HISTORY = 100;

export async function chatView(agent, { onActivity }) {
  const t = createTranscript();
  const input = h('textarea', {
    id: 'chat-input',
    rows: 3,
    placeholder: 'Message the agent (Enter sends, Shift+Enter for a new line)',
    required: true,
  });
  const send = h('button', { type: 'submit', class: 'primary', id: 'chat-send' }, 'Send');
  const stop = h('button', { type: 'button', id: 'chat-stop', disabled: true }, 'Stop');
  const form = h(
    'form',
    { class: 'composer', 'aria-label': 'Send a message' },
    h('label', { for: 'chat-input', class: 'visually-hidden' }, 'Message'),
    input,
    h('div', { class: 'row' }, send, stop),
  );
  const el = h('section', { class: 'chat', 'aria-label': 'Chat' }, t.el, form);
  let controller;

  async function stream(body) {
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    let lastStop;
    const approvals = [];
    try {
      const res = await request('POST', `/v1/agents/${agent.id}/messages/stream`, {
        body: { ...body, stream_tokens: true },
        signal: controller.signal,
      });
      if (!res.ok) throw await errorOf(res);
      for await (const { event, data } of readSse(res)) {
        if (data.message_type === 'ping') continue;
        const m = event === 'error' && !data.message_type ? { ...data, message_type: 'error_message' } : data;
        const entry = t.put(m);
        if (m.message_type === 'stop_reason') lastStop = m.stop_reason;
        if (m.message_type === 'approval_request_message' && !approvals.includes(entry)) approvals.push(entry);
        if (m.message_type === 'tool_return_message' || m.message_type === 'stop_reason') onActivity();
      }
      if (lastStop === 'requires_approval') for (const a of approvals) offerApproval(a);
    } catch (err) {
      if (err.name === 'AbortError') t.note('stop_reason', 'Stopped by you');
      else t.put({ id: `err-${Date.now()}`, message_type: 'error_message', message: err.message });
    } finally {
      send.disabled = false;
      stop.disabled = true;
      controller = undefined;
      onActivity();
    }
  }

  /** Approve / deny buttons under each tool call waiting for a person; sends once every call has an answer. */
  function offerApproval(entry) {
    const calls = entry.m.tool_calls;
    const answers = new Map();
    for (const c of calls) {
      const slot = entry.el.querySelector(`[data-tool-call-id="${CSS.escape(c.tool_call_id)}"] .approval-slot`);
      const reason = h('input', { type: 'text', placeholder: 'Reason (for a denial)', 'aria-label': `Reason for denying ${c.name}` });
      const decide = (approve) => () => {
        answers.set(c.tool_call_id, {
          type: 'approval',
          tool_call_id: c.tool_call_id,
          approve,
          ...(approve ? {} : { reason: reason.value || undefined }),
        });
        slot.replaceChildren(h('span', { class: 'muted small' }, approve ? 'Approved' : 'Denied'));
        if (answers.size === calls.length) void stream({ messages: [{ type: 'approval', approvals: [...answers.values()] }] });
      };
      slot.replaceChildren(
        h(
          'div',
          { class: 'row approval' },
          h('button', { type: 'button', class: 'primary', onclick: decide(true) }, 'Approve'),
          reason,
          h('button', { type: 'button', class: 'danger', onclick: decide(false) }, 'Deny'),
        ),
      );
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || controller) return;
    input.value = '';
    t.put({ id: `local-${Date.now()}`, message_type: 'user_message', content: text });
    void stream({ messages: [{ role: 'user', content: text }] });
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', async () => {
    controller?.abort();
    await api('POST', `/v1/agents/${agent.id}/messages/cancel`, {}).catch((err) => say(err.message, 'error'));
  });

  await loadHistory(agent, t, offerApproval);
  return { el, leave: () => controller?.abort() };
}

async function loadHistory(agent, t, offerApproval) {
  const page = await api('GET', `/v1/agents/${agent.id}/messages?order=desc&limit=${HISTORY}`);
  const msgs = oldestFirst(page).filter((m) => m.message_type !== 'system_message');
  const answered = new Set(msgs.flatMap((m) => (m.message_type === 'tool_return_message' ? [m.tool_call_id] : [])));
  let pending;
  for (const m of msgs) {
    const entry = t.put(m);
    if (m.message_type === 'approval_request_message' && !callsOf(m).every((c) => answered.has(c.tool_call_id))) pending = entry;
  }
  if (pending) offerApproval(pending);
}

/** A newest-first page turned around: stored messages, not their parts (one message's parts already come in order). */
function oldestFirst(page) {
  const groups = [];
  for (const m of page) {
    const last = groups.at(-1);
    if (last && last[0].id === m.id) last.push(m);
    else groups.push([m]);
  }
  return groups.reverse().flat();
}
