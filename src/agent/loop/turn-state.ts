// The only place a turn's state (TurnState) changes: as the store reports what it wrote, and when compaction or a
// block conflict replaces part of it.
import type { TurnState } from '../turn-types.js';
import type { BlockRow, MessageRow } from '../../db/rows.js';

/** Rows appended to the thread's history and in-context window. */
export function appendMessages(state: TurnState, rows: MessageRow[]): void {
  state.context.push(...rows);
  state.totalMessages += rows.length;
}

/** The system message (element 0 of the window) after a recompile. */
export function setSystem(state: TurnState, row: MessageRow): void {
  state.context[0] = row;
}

/** Blocks as stored (new versions) or as re-read after a conflict. */
function setBlocks(state: TurnState, rows: BlockRow[]): void {
  state.blocks = state.blocks.map((b) => rows.find((x) => x.id === b.id) ?? b);
}

export function replaceBlocks(state: TurnState, rows: BlockRow[]): void {
  state.blocks = rows;
}

export function setCounts(state: TurnState, c: { totalMessages: number; archivalCount: number }): void {
  state.totalMessages = c.totalMessages;
  state.archivalCount = c.archivalCount;
}

/** The file window text after a file tool changed it (the system message compiler reads it from agent extras). */
export function setDirectories(state: TurnState, text: string): void {
  state.agent = { ...state.agent, extras: { ...state.agent.extras, directories: text } };
}

/** A stored step: its blocks' new versions, the system message if it changed, its rows. */
export function applyStep(state: TurnState, w: { blocks: BlockRow[]; stored: MessageRow[] }, system: MessageRow | null): void {
  if (w.blocks.length) setBlocks(state, w.blocks);
  if (system) setSystem(state, system);
  appendMessages(state, w.stored);
}

/** The window after compaction (system message, summary, kept messages). */
export function replaceContext(state: TurnState, rows: MessageRow[]): void {
  state.context = rows;
}
