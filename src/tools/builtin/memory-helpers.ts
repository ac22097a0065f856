// Shared checks for the core-memory tools: block lookup, read-only and size guards, line-number guards.
import { ToolInputError, type BlockView, type MemoryAccess } from '../tool.js';

/** Shown above line-numbered memory so the model does not copy the prefixes into its edits. */
export const LINE_NUMBER_WARNING =
  "# NOTE: The 'N→ ' prefixes below are line numbers, shown only to help you aim edits. Never include them in memory tool arguments.";

// Letta's exact strings: clients and prompts written for Letta expect them (note: no colon after "Error").
const READ_ONLY_BLOCK_EDIT_ERROR = 'Error This block is read-only and cannot be edited.';
const LINE_PREFIX = /^[ \t]*\d+→[ \t]*/m;

function requireBlock(memory: MemoryAccess, label: string): BlockView {
  const block = memory.get(label);
  if (!block) {
    throw new ToolInputError(`Block field ${label} does not exist (available sections = ${memory.labels().join(', ')})`);
  }
  return block;
}

export function requireWritableBlock(memory: MemoryAccess, label: string): BlockView {
  const block = requireBlock(memory, label);
  if (block.readOnly) throw new ToolInputError(READ_ONLY_BLOCK_EDIT_ERROR);
  return block;
}

/** Writes a new value after the size check; returns the value so tools can echo it back to the model. */
export function writeBlock(memory: MemoryAccess, block: BlockView, value: string): string {
  if (value.length > block.limit) {
    throw new ToolInputError(`Edit failed: Exceeds ${block.limit} character limit (requested ${value.length})`);
  }
  memory.set(block.label, value);
  return value;
}

/** Python's str.expandtabs(8): column-aware, resets at newlines. */
export function expandTabs(text: string, size = 8): string {
  if (!text.includes('\t')) return text;
  let out = '';
  let col = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const spaces = size - (col % size);
      out += ' '.repeat(spaces);
      col += spaces;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

/**
 * Line numbers are only a display aid in the rendered memory; copying them into an edit would corrupt the block.
 * `checkWarning` also rejects the rendered warning banner (only sensible for text being searched for).
 */
export function rejectLineNumbers(field: string, text: string, checkWarning: boolean): void {
  if (LINE_PREFIX.test(text)) {
    throw new ToolInputError(
      `${field} contains a line number prefix, which is not allowed. Do not include line numbers when calling memory tools (line numbers are for display purposes only).`,
    );
  }
  if (checkWarning && text.includes(LINE_NUMBER_WARNING)) {
    throw new ToolInputError(
      `${field} contains a line number warning, which is not allowed. Do not include line number information when calling memory tools (line numbers are for display purposes only).`,
    );
  }
}

/** 1-based numbers of the lines that contain `needle`. */
export function linesContaining(haystack: string, needle: string): number[] {
  return haystack.split('\n').flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
}
