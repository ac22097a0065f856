// Recursive summarization of the oldest in-context messages. Pure choice of the cut point (at an assistant
// message, never into the current turn) plus one model call that folds the previous summary into the new one.
import type { Provider } from '../llm/types.js';
import { countMessageTokens } from './token-budget.js';
import type { MessageRow } from '../db/rows.js';

const SUMMARY_PREFIX = 'The following is a summary of the previous messages:';
const SUMMARIZER_PROMPT = [
  'You maintain the long-term memory of a conversational agent. Older messages are about to leave its context window.',
  'Write a concise first-person summary (at most 300 words) of the transcript you are given, so the agent can carry on.',
  'Keep every concrete fact the user shared (names, numbers, preferences, dates, identifiers) verbatim.',
  'If the transcript starts with an earlier summary, merge it in: nothing in it may be lost. Output only the summary.',
].join('\n');

const rowTokens = (m: MessageRow) => countMessageTokens([{ role: m.role, content: m.text }]);

/**
 * Index of the first kept message: the largest assistant-message index at or below the sliding cut whose kept
 * tail fits `goalTokens`, never beyond `limit` (the current turn and pending approvals stay). 0 = no cut.
 */
export function chooseCut(context: MessageRow[], goalTokens: number, limit: number, startFraction = 0.3): number {
  const n = context.length;
  const tokens = context.map(rowTokens);
  const tailTokens = (i: number) => tokens[0]! + tokens.slice(i).reduce((a, b) => a + b, 0);
  let best = 0;
  for (let p = startFraction; p < 1.0001; p += 0.1) {
    const cut = Math.min(Math.round(p * n), limit);
    let i = cut;
    while (i > 1 && context[i]?.role !== 'assistant') i--;
    if (i > 1 && context[i]?.role === 'assistant') best = i;
    if (best > 1 && tailTokens(best) < goalTokens) break;
  }
  return best > 1 ? best : 0;
}

function transcriptOf(rows: MessageRow[]): string {
  const lines = rows.map((m) => `[${m.role}] ${m.text.length > 5000 ? `${m.text.slice(0, 5000)}…` : m.text}`);
  return `<start_transcript>\n${lines.join('\n')}\n<end_transcript>\nWrite the summary now.`;
}

export type SummarizeOptions = { prompt?: string | null; clipChars?: number; signal?: AbortSignal };

export async function summarizeMessages(provider: Provider, model: string, rows: MessageRow[], o: SummarizeOptions = {}): Promise<string> {
  const res = await provider.chat({
    model,
    messages: [
      { role: 'system', content: o.prompt || SUMMARIZER_PROMPT },
      { role: 'user', content: transcriptOf(rows) },
    ],
    signal: o.signal,
  });
  const text = res.text.trim();
  const clip = o.clipChars ?? 50_000;
  return text.length > clip ? `${text.slice(0, clip)}... [summary truncated to fit]` : text;
}

/** Text of the stored summary message (a system alert in the user role, as Letta stores it). */
export function packSummary(summary: string, hidden: number, now: Date, stats?: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'system_alert',
    message: `Note: ${hidden} messages from the beginning of the conversation have been hidden from view due to memory constraints.\n${SUMMARY_PREFIX}\n ${summary}`,
    time: now.toISOString(),
    ...(stats ? { compaction_stats: stats } : {}),
  });
}

/** The summary inside a stored summary message ('' when the row is not one). */
export function unpackSummary(m: MessageRow | undefined): string {
  if (!isSummaryRow(m)) return '';
  try {
    const msg = String((JSON.parse(m!.text) as { message?: unknown }).message ?? '');
    const at = msg.indexOf(SUMMARY_PREFIX);
    return at < 0 ? msg : msg.slice(at + SUMMARY_PREFIX.length).trim();
  } catch {
    return m!.text;
  }
}

export const isSummaryRow = (m: MessageRow | undefined): boolean =>
  Boolean(m && m.role === 'user' && m.text.includes(SUMMARY_PREFIX) && m.text.includes('"system_alert"'));
