// Which in-context messages a compaction may evict: never the current turn (from its user message on) and never
// an approval request still waiting for its answer.
import { chooseCut, isSummaryRow } from '../summarize.js';
import type { CompactionSettings } from './compaction-settings.js';
import type { MessageRow } from '../../db/rows.js';

type Call = { id?: string };
type Ret = { tool_call_id?: string };

function answeredIds(rows: MessageRow[]): Set<string> {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.toolCallId) ids.add(r.toolCallId);
    for (const t of (r.toolReturns ?? []) as Ret[]) if (t.tool_call_id) ids.add(t.tool_call_id);
  }
  return ids;
}

/** Index of the first approval request with a tool call nobody answered yet (context.length when none). */
export function pendingApprovalFrom(context: MessageRow[]): number {
  for (let i = 1; i < context.length; i++) {
    const calls = (context[i]!.toolCalls ?? []) as Call[];
    if (context[i]!.role !== 'approval' || calls.length === 0) continue;
    const answered = answeredIds(context.slice(i + 1));
    if (calls.some((c) => !c.id || !answered.has(c.id))) return i;
  }
  return context.length;
}

/**
 * The current turn starts at the last user message that is not a summary. A turn answering an approval whose
 * user message was already compacted away starts at the last approval request (the call its answer belongs to).
 */
function currentTurnFrom(context: MessageRow[]): number {
  for (let i = context.length - 1; i > 0; i--) if (context[i]!.role === 'user' && !isSummaryRow(context[i])) return i;
  for (let i = context.length - 1; i > 0; i--) if (context[i]!.role === 'approval' && context[i]!.toolCalls?.length) return i;
  return context.length;
}

/** First index that must stay: inside a turn its own messages stay too; a manual compaction keeps approvals only. */
export function protectedFrom(context: MessageRow[], inTurn: boolean): number {
  const approval = pendingApprovalFrom(context);
  return inTurn ? Math.min(approval, currentTurnFrom(context)) : approval;
}

/**
 * First kept index for the settings' mode (0 = nothing to evict). Sliding window cuts at an assistant message so
 * the kept tail fits (1 − percentage) of the window; when it finds no useful cut, everything before `limit` goes (`all`).
 */
export function pickCut(context: MessageRow[], s: CompactionSettings, window: number, limit: number): number {
  if (s.mode === 'sliding_window') {
    // A cut that evicts a single message would not shrink the context (the summary takes its place).
    const cut = chooseCut(context, Math.floor(window * (1 - s.slidingWindowPercentage)), limit, s.slidingWindowPercentage);
    if (cut > 2) return cut;
  }
  const evictable = context.slice(1, limit).filter((m) => !isSummaryRow(m)).length;
  return evictable > 0 ? limit : 0;
}
