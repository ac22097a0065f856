// The structural commands of the unified `memory` tool: create, delete and relabel blocks, and change a block's
// description. Bounded here (label shape, sizes, block count); written through ToolContext.structure.
import { ToolInputError, type BlockStructureAccess, type ToolContext } from '../tool.js';
import { requireWritableBlock } from './memory-helpers.js';

const MAX_LABEL = 200;
const MAX_DESCRIPTION = 2_000;
const MAX_NEW_VALUE = 100_000;
/** Blocks an agent may have before `create` is refused (each one is part of every prompt). */
const MAX_AGENT_BLOCKS = 100;

function structureOf(ctx: ToolContext): BlockStructureAccess {
  if (!ctx.structure) throw new ToolInputError('Error: blocks cannot be created, deleted or renamed here');
  return ctx.structure;
}

/** A path-like label: `/`-separated segments, none empty, `.`/`..` or starting with a dot, no control characters. */
function labelFromNewPath(path: string): string {
  const label = path
    .replace(/^\/memories\//, '')
    .replace(/^\/+/, '')
    .replace(/\.md$/, '');
  const segments = label.split('/');
  const bad =
    label.length === 0 ||
    label.length > MAX_LABEL ||
    segments.some((s) => s === '' || s.startsWith('.')) ||
    /[\u0000-\u001f\u007f\\]/.test(label);
  if (bad) {
    throw new ToolInputError(
      `Error: '${path.slice(0, 300)}' is not a usable block path: use /memories/<name> with up to ${MAX_LABEL} characters, ` +
        'segments separated by "/", none empty or starting with "."',
    );
  }
  return label;
}

function checkDescription(description: string): string {
  if (!description.trim()) throw new ToolInputError('Error: description must not be empty');
  if (description.length > MAX_DESCRIPTION) {
    throw new ToolInputError(`Error: description is ${description.length} characters; at most ${MAX_DESCRIPTION} are allowed`);
  }
  return description;
}

export async function createBlock(ctx: ToolContext, path: string, description: string, text: string): Promise<string> {
  const label = labelFromNewPath(path);
  checkDescription(description);
  if (ctx.memory.get(label)) throw new ToolInputError(`Error: a memory block labelled '${label}' already exists`);
  if (ctx.memory.labels().length >= MAX_AGENT_BLOCKS) {
    throw new ToolInputError(`Error: you already have ${MAX_AGENT_BLOCKS} memory blocks; delete one before creating another`);
  }
  if (text.length > MAX_NEW_VALUE) {
    throw new ToolInputError(`Error: file_text is ${text.length} characters; a new block holds at most ${MAX_NEW_VALUE}`);
  }
  await structureOf(ctx).create({ label, value: text, description });
  return `Created memory block '${label}'; it is now part of your memory.`;
}

export async function deleteBlock(ctx: ToolContext, label: string): Promise<string> {
  requireWritableBlock(ctx.memory, label);
  await structureOf(ctx).remove(label);
  return `Deleted memory block '${label}'; it is no longer part of your memory.`;
}

export async function renameBlock(ctx: ToolContext, label: string, newPath: string): Promise<string> {
  requireWritableBlock(ctx.memory, label);
  const next = labelFromNewPath(newPath);
  if (next === label) return `Memory block '${label}' already has that name.`;
  if (ctx.memory.get(next)) throw new ToolInputError(`Error: a memory block labelled '${next}' already exists`);
  await structureOf(ctx).relabel(label, next);
  return `Renamed memory block '${label}' to '${next}'.`;
}

export async function describeBlock(ctx: ToolContext, label: string, description: string): Promise<string> {
  requireWritableBlock(ctx.memory, label);
  await structureOf(ctx).describe(label, checkDescription(description));
  return `Updated the description of memory block '${label}'.`;
}
