// Letta's unified `memory` tool: one tool with sub-commands over memory blocks addressed as /memories/<label>.
// str_replace and insert edit block values (as memory_replace / memory_insert do); create, delete and rename change
// which blocks the agent has (memory-structure.ts).
import { z } from 'zod';
import { defineTool, ToolInputError, type MemoryAccess } from '../tool.js';
import { memoryInsert } from './memory-insert.js';
import { memoryReplace } from './memory-replace.js';
import { createBlock, deleteBlock, describeBlock, renameBlock } from './memory-structure.js';

/** `/memories/a/b` → the block label: `a/b` when such a block exists, else Letta's flattened `a_b`. */
function labelFromPath(memory: MemoryAccess, path: string): string {
  const stripped = path.replace(/^\/memories\//, '').replace(/^\/+/, '');
  if (memory.get(stripped)) return stripped;
  const flat = stripped.replace(/\//g, '_');
  return memory.get(flat) ? flat : stripped;
}

function need<T>(value: T | null | undefined, field: string, command: string): T {
  if (value === null || value === undefined) throw new ToolInputError(`Error: ${field} is required for ${command} command`);
  return value;
}

export const memoryOmni = defineTool({
  name: 'memory',
  description:
    'Manage your memory blocks with one tool; a block is addressed as /memories/<label>. Commands: "str_replace" ' +
    'swaps old_string (found exactly once) for new_string; "insert" adds insert_text after line insert_line (0 = top, ' +
    '-1 = end); "create" makes a new block at path with a description and optional file_text; "delete" removes the ' +
    'block at path from your memory; "rename" moves old_path to new_path, or with path and description changes what ' +
    'the block says it is for.',
  toolType: 'letta_memory_core',
  args: z.object({
    command: z.string().describe('One of: create, str_replace, insert, delete, rename.'),
    path: z.string().nullish().describe('The block, as /memories/<label> (create, str_replace, insert, delete, rename of a description).'),
    file_text: z.string().nullish().describe('Starting text of a new block (create).'),
    description: z.string().nullish().describe('What the block is for (create; rename with path).'),
    old_string: z.string().nullish().describe('Text to replace, copied exactly (str_replace).'),
    new_string: z.string().nullish().describe('Replacement text (str_replace).'),
    insert_line: z.number().int().nullish().describe('Insert after this line (insert; 0 = top, -1 = end).'),
    insert_text: z.string().nullish().describe('Text to insert (insert).'),
    old_path: z.string().nullish().describe('Current path of the block (rename).'),
    new_path: z.string().nullish().describe('New path of the block (rename).'),
  }),
  run(args, ctx) {
    const command = args.command;
    switch (command) {
      case 'str_replace': {
        const path = need(args.path, 'path', command);
        const old_string = need(args.old_string, 'old_string', command);
        const new_string = need(args.new_string, 'new_string', command);
        return memoryReplace.run({ label: labelFromPath(ctx.memory, path), old_string, new_string }, ctx);
      }
      case 'insert': {
        const path = need(args.path, 'path', command);
        const insert_text = need(args.insert_text, 'insert_text', command);
        const label = labelFromPath(ctx.memory, path);
        return memoryInsert.run({ label, new_string: insert_text, insert_line: args.insert_line ?? -1 }, ctx);
      }
      case 'create':
        return createBlock(ctx, need(args.path, 'path', command), need(args.description, 'description', command), args.file_text ?? '');
      case 'delete':
        return deleteBlock(ctx, labelFromPath(ctx.memory, need(args.path, 'path', command)));
      case 'rename':
        if (args.path && args.description) return describeBlock(ctx, labelFromPath(ctx.memory, args.path), args.description);
        if (args.old_path && args.new_path) return renameBlock(ctx, labelFromPath(ctx.memory, args.old_path), args.new_path);
        throw new ToolInputError(
          'Error: rename needs old_path and new_path (to move a block), or path and description (to change its description)',
        );
      default:
        throw new ToolInputError(`Error: Unknown command '${command}'. Supported commands: create, str_replace, insert, delete, rename`);
    }
  },
});
