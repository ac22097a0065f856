import type { MessageRow } from '../db/rows.js';
// Model-facing text of sleep-time agents (Mnemo's own wording) and the transcript rendering they read.

export const SLEEPTIME_PERSONA =
  'I look after the memory of another agent while it rests. I fold what its conversations revealed into its ' +
  'memory blocks, merge duplicates, keep each block short and current, notice patterns in what the user wants, ' +
  'and draw careful inferences. Everything important from the conversations should be findable in memory.';

export function sleeptimeReminder(transcript: string): string {
  return [
    '<system-reminder>',
    'You are a background memory agent. A conversation between another agent (the primary) and its user has just',
    'happened; you are not part of it and nobody reads your replies. Lines marked "assistant" were written by the',
    'primary agent and lines marked "user" by its user. Your job is to update the shared memory blocks so the',
    'primary knows what it should next time: record new facts, fix outdated ones, consolidate. Use absolute dates.',
    'When you are done, or if nothing needs changing, call memory_finish_edits. Your memory_persona block may hold',
    'further instructions.',
    '</system-reminder>',
    '',
    'Messages:',
    transcript,
  ].join('\n');
}

type Part = { type?: string; text?: unknown };
type Call = { function?: { name?: string; arguments?: string } };

function textOf(r: MessageRow): string {
  return ((r.content ?? []) as Part[])
    .filter((p) => p.type === 'text')
    .map((p) => String(p.text ?? ''))
    .join('\n');
}

function callLine(c: Call): string {
  const name = c.function?.name ?? 'unknown';
  if (name === 'send_message') {
    try {
      return `assistant: ${String((JSON.parse(c.function?.arguments ?? '{}') as { message?: unknown }).message ?? '')}`;
    } catch {
      /* unparsable args: fall through to the generic line */
    }
  }
  return `assistant: Calling tool ${name}`;
}

/** One stored message as the transcript lines a sleep-time agent reads; system messages are skipped. */
function renderMessage(r: MessageRow): string[] {
  if (r.role === 'user') return [`user: ${textOf(r)}`];
  if (r.role === 'assistant') {
    const text = textOf(r);
    return [...(text ? [`assistant: ${text}`] : []), ...((r.toolCalls ?? []) as Call[]).map(callLine)];
  }
  if (r.role === 'tool') {
    const returns = (r.toolReturns ?? []) as { name?: string; func_response?: string }[];
    return returns.filter((t) => t.name !== 'send_message').map((t) => `assistant: Tool call returned ${t.func_response ?? ''}`);
  }
  return [];
}

export function renderTranscript(rows: MessageRow[]): string {
  return rows.flatMap(renderMessage).join('\n');
}
