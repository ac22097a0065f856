// Import of one agent's history: fresh ids, a bounded number of rows a statement inside the caller's transaction,
// progress lines in the log, and a row the database refuses named by its place in the file.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Actor } from '../../actor.js';
import { compileAgentSystem } from '../../agent/system-message.js';
import { ROWS_PER_INSERT } from '../../db/batches.js';
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import { insertMessages } from '../../memory/message-rows.js';
import { count, dbCauseOf, isFileProblem, short, storeFailure, type DbCause } from './agent-file.errors.js';
import type { FileMessage } from './agent-file.schemas.js';
import type { AgentRow, BlockRow, MessageInsert, ToolRow } from '../../db/rows.js';

/** A progress line every this many messages, or this often, whichever comes first. */
const PROGRESS_EVERY = 10_000;
const PROGRESS_MS = 5_000;

export type HistoryDeps = { log?: Logger; clock?: () => number };
type Who = { actor: Actor; agent: AgentRow; fileAgentId: string };

/** Recreates the messages with fresh ids; returns the new in-context ids, a system message always first. */
/** The agent's blocks and tools as stored, which imported messages and the agent itself link to. */
export type AgentLinks = { blocks: BlockRow[]; tools: ToolRow[] };

export async function importMessages(
  tx: Db,
  deps: HistoryDeps,
  who: Who,
  links: AgentLinks,
  msgs: FileMessage[],
  inContext: string[],
): Promise<string[]> {
  const idMap = new Map<string, string>();
  for (const m of msgs) idMap.set(m.id, newId('message'));
  const progress = progressLog(deps, who, msgs.length);
  for (let start = 0; start < msgs.length; start += ROWS_PER_INSERT) {
    const batch = msgs.slice(start, start + ROWS_PER_INSERT);
    await storeBatch(tx, who, batch, start, idMap);
    progress(start + batch.length);
    // PGlite in the server's own thread (MNEMO_PGLITE_WORKER=false) resolves queries without giving timers or sockets a turn: let them in.
    await nextTurn();
  }
  const window = inContext.map((id) => idMap.get(id)!);
  if (inContext.length && msgs.find((m) => m.id === inContext[0])?.role === 'system') return window;
  const text = compileAgentSystem(who.agent, links.blocks, links.tools, {
    messagesInRecall: msgs.length,
    archivalCount: 0,
    lastMemoryEdit: null,
  });
  const [sys] = await insertMessages(tx, [
    {
      id: newId('message'),
      organizationId: who.actor.orgId,
      agentId: who.agent.id,
      role: 'system',
      content: [{ type: 'text', text }],
      text,
    },
  ]);
  return [sys!.id, ...window];
}

/** One statement (a savepoint); when the database refuses it, finds the first row it refuses, one row at a time. */
async function storeBatch(tx: Db, who: Who, batch: FileMessage[], start: number, idMap: Map<string, string>): Promise<void> {
  const rows = batch.map((m) => messageInsert(who.actor, who.agent.id, m, idMap.get(m.id)!));
  try {
    await insertMessages(tx, rows);
  } catch (e) {
    const cause = dbCauseOf(e);
    if (!cause) throw e;
    for (let i = 0; isFileProblem(cause) && i < rows.length; i++) {
      const refused = await refusal(tx, rows[i]!);
      if (refused)
        throw storeFailure(`message #${count(start + i + 1)} (id "${short(batch[i]!.id)}") of agent "${short(who.fileAgentId)}"`, refused);
    }
    throw storeFailure(`messages #${count(start + 1)}–${count(start + rows.length)} of agent "${short(who.fileAgentId)}"`, cause);
  }
}

/** Why the database refuses this one row, if it does (the import fails anyway, so what it accepts is rolled back). */
async function refusal(tx: Db, row: MessageInsert): Promise<DbCause | undefined> {
  try {
    await insertMessages(tx, [row]);
    return undefined;
  } catch (e) {
    const cause = dbCauseOf(e);
    if (!cause) throw e;
    return cause;
  }
}

/** "agent import: 40,000 / 100,000 messages" every PROGRESS_EVERY messages or PROGRESS_MS; small files stay quiet. */
function progressLog(deps: HistoryDeps, who: Who, total: number): (done: number) => void {
  const log = deps.log?.child({ agentId: who.agent.id });
  const now = deps.clock ?? Date.now;
  const started = now();
  let last = { done: 0, at: started };
  return (done) => {
    const at = now();
    const due = done - last.done >= PROGRESS_EVERY || at - last.at >= PROGRESS_MS;
    const finalLine = done === total && (total >= PROGRESS_EVERY || at - started >= PROGRESS_MS);
    if (!log || !(due || finalLine)) return;
    last = { done, at };
    log.info({ done, total, ms: at - started }, `agent import: ${count(done)} / ${count(total)} messages`);
  };
}

function messageInsert(actor: Actor, agentId: string, m: FileMessage, id: string): MessageInsert {
  const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content ?? []);
  const created = m.created_at ? new Date(m.created_at) : undefined;
  const s = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : null);
  return {
    id,
    organizationId: actor.orgId,
    agentId,
    role: m.role,
    content,
    text: searchText(content, m),
    name: s('name'),
    model: s('model'),
    otid: s('otid'),
    senderId: s('sender_id'),
    batchItemId: s('batch_item_id'),
    toolCalls: m.tool_calls?.length ? m.tool_calls : null,
    toolCallId: s('tool_call_id'),
    toolReturns: m.tool_returns?.length ? m.tool_returns : null,
    approve: typeof m.approve === 'boolean' ? m.approve : null,
    approvalRequestId: s('approval_request_id'),
    denialReason: s('denial_reason'),
    approvals: Array.isArray(m.approvals) && m.approvals.length ? (m.approvals as Record<string, unknown>[]) : null,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created, updatedAt: created } : {}),
  };
}

/** The flattened text recall search works on: text parts, tool calls and tool returns. */
function searchText(content: Record<string, unknown>[], m: FileMessage): string {
  const parts = content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).filter(Boolean);
  for (const c of m.tool_calls ?? []) {
    const fn = c.function as { name?: unknown; arguments?: unknown } | null | undefined;
    if (typeof fn?.name === 'string' && fn.name) parts.push(`${fn.name}(${typeof fn.arguments === 'string' ? fn.arguments : ''})`);
  }
  if (m.role !== 'tool') return parts.join('\n');
  const returns = (m.tool_returns ?? []).map((r) => (typeof r.func_response === 'string' ? r.func_response : '')).filter(Boolean);
  return (returns.length && !parts.length ? returns : parts).join('\n');
}
