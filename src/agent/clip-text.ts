// Size bounds on what a turn stores: a model reply or a tool return longer than its limit is cut, with a visible
// marker, before it is written, so no stored row is larger than a later turn can read back cheaply.
import type { ChatResponse } from '../llm/types.js';

export const DEFAULT_MAX_REPLY_CHARS = 100_000;
export const DEFAULT_MAX_TOOL_RETURN_CHARS = 100_000;
/** Tool call ids and names are identifiers; anything longer is not one. */
const MAX_NAME_CHARS = 256;

const fmt = (n: number) => n.toLocaleString('en-US');

/** `text` itself when within `limit`, else its first `limit` characters and `…[truncated: N characters, limit L]`. */
export function clipText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Never cut between the two halves of a surrogate pair.
  const end = limit > 0 && /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
  return `${text.slice(0, end)}…[truncated: ${fmt(text.length)} characters, limit ${fmt(limit)}]`;
}

/**
 * The reply with its text, each reasoning part and each tool call's arguments cut to `limit`. Cut arguments are no
 * longer JSON, so the call comes back to the model as a failed tool result; a cut reasoning part loses its signature
 * (a provider would refuse the altered text with it) and an oversized redacted one, opaque data, is dropped.
 */
export function clipReply(res: ChatResponse, limit: number): ChatResponse {
  const over = (s: string | undefined) => (s?.length ?? 0) > limit;
  const big =
    over(res.text) ||
    res.reasoning.some((r) => over(r.text)) ||
    res.toolCalls.some((c) => over(c.arguments) || c.id.length > MAX_NAME_CHARS || c.name.length > MAX_NAME_CHARS);
  if (!big) return res;
  return {
    ...res,
    text: clipText(res.text, limit),
    reasoning: res.reasoning
      .filter((r) => !(r.redacted && over(r.text)))
      .map((r) => (over(r.text) ? { text: clipText(r.text, limit) } : r)),
    toolCalls: res.toolCalls.map((c) => ({
      ...c,
      id: clipText(c.id, MAX_NAME_CHARS),
      name: clipText(c.name, MAX_NAME_CHARS),
      arguments: clipText(c.arguments, limit),
    })),
  };
}

/** Lines of output (stdout/stderr) kept while their total stays within `limit`; a marker line says what was cut. */
export function clipLines(lines: readonly string[], limit: number): string[] {
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (total + line.length > limit) {
      const rest = lines.slice(i).reduce((n, l) => n + l.length, 0);
      return [...lines.slice(0, i), line.slice(0, limit - total), `…[truncated: ${fmt(total + rest)} characters, limit ${fmt(limit)}]`];
    }
    total += line.length;
  }
  return lines as string[];
}
