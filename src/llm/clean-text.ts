// Model and tool output made storable: PostgreSQL text cannot hold U+0000 and jsonb refuses lone UTF-16 surrogates,
// so one bad character in a reply would fail the whole turn. NUL is dropped; a lone surrogate becomes U+FFFD.
import { hostileTextProblem, scrubHostileText } from '../text/hostile-text.js';
import type { ChatResponse, StreamEvent } from './types.js';

const SUSPECT = /[\u0000\uD800-\uDFFF]/;
/** JSON escapes that decode to the same characters (`\u0000`, `\ud83d` without its pair…). */
const SUSPECT_ESCAPE = /\\u(0000|d[89a-f][0-9a-f]{2})/i;

/** The text without NUL characters and with every unpaired surrogate replaced by U+FFFD. */
export function cleanText(s: string): string {
  return SUSPECT.test(s) ? scrubHostileText(s) : s;
}

/** cleanText applied to every string of a JSON-like value, object keys included. */
export function cleanValue<T>(v: T): T {
  if (typeof v === 'string') return cleanText(v) as T;
  if (Array.isArray(v)) return v.map(cleanValue) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [cleanText(k), cleanValue(x)])) as T;
  }
  return v;
}

/**
 * Tool-call arguments (JSON text): cleaned both as characters and as the escapes JSON.parse would turn into the
 * same characters. Untouched unless something needs cleaning, so well-behaved arguments keep their exact text.
 */
export function cleanJsonText(s: string): string {
  if (hostileTextProblem(s) === undefined && !SUSPECT_ESCAPE.test(s)) return s;
  try {
    return JSON.stringify(cleanValue(JSON.parse(s)));
  } catch {
    return cleanJsonFragment(s);
  }
}

/**
 * JSON text that does not parse (a stream's argument delta, a truncated reply): the escapes are cleaned as text, an
 * odd run of backslashes before `u` being the escape itself. A paired surrogate escape is left alone.
 */
export function cleanJsonFragment(s: string): string {
  const out = cleanText(s);
  if (!SUSPECT_ESCAPE.test(out)) return out;
  return out.replace(/\\u(0000|d[89a-f][0-9a-f]{2})/gi, (m: string, hex: string, at: number, all: string) => {
    let slashes = 0;
    while (all[at - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 1) return m; // `\\u…`: an escaped backslash, then plain text
    if (hex === '0000') return '';
    const high = /^d[89ab]/i.test(hex);
    const paired = high
      ? /^\\ud[c-f][0-9a-f]{2}/i.test(all.slice(at + 6, at + 12))
      : /^\\ud[89ab][0-9a-f]{2}$/i.test(all.slice(Math.max(0, at - 6), at));
    return paired ? m : '\\ufffd';
  });
}

export function cleanChatResponse(r: ChatResponse): ChatResponse {
  return {
    ...r,
    text: cleanText(r.text),
    reasoning: r.reasoning.map((p) => ({ ...p, text: cleanText(p.text) })),
    toolCalls: r.toolCalls.map((c) => ({ ...c, id: cleanText(c.id), name: cleanText(c.name), arguments: cleanJsonText(c.arguments) })),
  };
}

/** Deltas are cleaned as characters only (an escape may be split across them); the final response fully. */
export function cleanStreamEvent(e: StreamEvent): StreamEvent {
  switch (e.type) {
    case 'text_delta':
    case 'reasoning_delta':
      return SUSPECT.test(e.text) ? { ...e, text: cleanText(e.text) } : e;
    case 'tool_call_start':
      return { ...e, id: cleanText(e.id), name: cleanText(e.name) };
    case 'tool_call_delta':
      return { ...e, argumentsDelta: cleanJsonFragment(e.argumentsDelta) };
    case 'done':
      return { ...e, response: cleanChatResponse(e.response) };
    default:
      return e;
  }
}
