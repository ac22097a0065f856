// The chat transcript: one element per Letta message, updated in place as streamed deltas arrive.
import { fmtNumber, h, mount, pretty } from '../dom.js';

const text = (v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.map((p) => p.text ?? `[${p.type}]`).join('\n') : pretty(v ?? ''));

/** The tool calls an event carries (tool_calls when it is a list, else tool_call). */
export function callsOf(m) {
  if (Array.isArray(m.tool_calls)) return m.tool_calls;
  return m.tool_call ? [m.tool_call] : [];
}

export function createTranscript() {
  const el = h('ol', { class: 'transcript', id: 'transcript', 'aria-label': 'Conversation', 'aria-live': 'polite' });
  /** key → { el, m } where m accumulates a streamed message. */
  const items = new Map();

  function add(node) {
    el.append(node);
    el.scrollTop = el.scrollHeight;
    return node;
  }

  /** Adds a message or merges a streamed delta into the one it continues. Returns its element. */
  function put(m) {
    const key = `${m.otid ?? m.id}:${m.message_type}`;
    const seen = items.get(key);
    if (!seen) {
      const entry = { m: { ...m, tool_calls: callsOf(m).map((c) => ({ ...c })) }, el: null };
      entry.el = add(h('li', { class: `msg ${m.message_type}`, 'data-type': m.message_type }));
      items.set(key, entry);
      draw(entry);
      return entry;
    }
    merge(seen.m, m);
    draw(seen);
    return seen;
  }

  function note(kind, content) {
    return add(h('li', { class: `msg ${kind}`, 'data-type': kind }, content));
  }

  return { el, put, note };
}

function merge(acc, d) {
  if (typeof d.reasoning === 'string') acc.reasoning = (acc.reasoning ?? '') + d.reasoning;
  if (typeof d.content === 'string' && d.message_type === 'assistant_message') acc.content = (acc.content ?? '') + d.content;
  for (const c of callsOf(d)) {
    const into =
      acc.tool_calls.find((x) => x.tool_call_id === c.tool_call_id) ??
      acc.tool_calls[acc.tool_calls.push({ tool_call_id: c.tool_call_id }) - 1];
    if (c.name) into.name = c.name;
    if (c.arguments) into.arguments = (into.arguments ?? '') + c.arguments;
  }
}

function draw({ m, el }) {
  mount(el, render(m));
}

function render(m) {
  switch (m.message_type) {
    case 'user_message':
      return [h('div', { class: 'who' }, 'You'), h('div', { class: 'bubble' }, text(m.content))];
    case 'assistant_message':
      return [h('div', { class: 'who' }, 'Agent'), h('div', { class: 'bubble' }, text(m.content))];
    case 'reasoning_message':
      return [h('details', { class: 'reasoning' }, h('summary', {}, 'Reasoning'), h('div', { class: 'pre' }, m.reasoning ?? ''))];
    case 'hidden_reasoning_message':
      return [h('div', { class: 'muted small' }, `Reasoning ${m.state ?? 'hidden'}`)];
    case 'tool_call_message':
    case 'approval_request_message':
      return m.tool_calls.map((c) =>
        h(
          'div',
          { class: 'tool-call', 'data-tool-call-id': c.tool_call_id },
          h(
            'div',
            { class: 'who' },
            m.message_type === 'approval_request_message' ? 'Asks to call ' : 'Calls ',
            h('code', {}, c.name ?? '…'),
          ),
          h('pre', { class: 'args' }, pretty(c.arguments ?? '')),
          h('div', { class: 'approval-slot' }),
        ),
      );
    case 'tool_return_message':
      return [
        h(
          'div',
          { class: 'who' },
          `Tool ${m.name ?? ''} returned `,
          h('span', { class: `badge ${m.status === 'success' ? 'ok' : 'bad'}` }, m.status ?? ''),
        ),
        h('details', {}, h('summary', {}, 'Result'), h('pre', {}, pretty(m.tool_return ?? ''))),
        m.stderr?.length ? h('pre', { class: 'error' }, text(m.stderr)) : null,
      ];
    case 'approval_response_message':
      return [h('div', { class: 'muted small' }, approvalText(m))];
    case 'summary_message':
      return [h('details', {}, h('summary', {}, 'Summary of earlier messages'), h('div', { class: 'pre' }, m.summary ?? ''))];
    case 'stop_reason':
      return [h('span', { class: `badge ${m.stop_reason === 'end_turn' ? 'ok' : 'warn'}` }, `stop: ${m.stop_reason}`)];
    case 'usage_statistics':
      return [
        h(
          'span',
          { class: 'muted small' },
          `${fmtNumber(m.step_count)} step(s) · ${fmtNumber(m.prompt_tokens)} in · ${fmtNumber(m.completion_tokens)} out`,
        ),
      ];
    case 'error_message':
      return [
        h('div', { class: 'error', role: 'alert' }, `Error${m.error_type ? ` (${m.error_type})` : ''}: ${m.message ?? m.detail ?? ''}`),
      ];
    default:
      return [h('div', { class: 'muted small' }, m.message_type)];
  }
}

function approvalText(m) {
  const list = Array.isArray(m.approvals) && m.approvals.length ? m.approvals : [{ approve: m.approve, reason: m.reason }];
  return list.map((a) => (a.approve ? 'Approved' : `Denied${a.reason ? `: ${a.reason}` : ''}`)).join('; ');
}
