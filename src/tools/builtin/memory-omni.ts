// Letta's unified `memory` tool: one tool with sub-commands over memory blocks addressed as /memories/<label>.
// str_replace and insert edit block values (as memory_replace / memory_insert do); the structural commands
// (create, delete, rename) are not available here yet and say so to the model.
import { z } from 'zod';
import { defineTool, ToolInputError, type MemoryAccess } from '../tool.js';
import { memoryInsert } from './memory-insert.js';
import { memoryReplace } from './memory-replace.js';

const COMMANDS = ['create', 'str_replace', 'insert', 'delete', 'rename'] as const;

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
    'Edit your memory blocks with one tool. Address a block as /memories/<label>. Commands: "str_replace" swaps ' +
    'old_string (exactly once in the block) for new_string; "insert" adds insert_text after line insert_line ' +
    '(0 = top, -1 = end). "create", "delete" and "rename" are listed for compatibility.',
  toolType: 'letta_memory_core',
  args: z.object({
    command: z.string().describe('One of: create, str_replace, insert, delete, rename.'),
    path: z.string().nullish().describe('The block, as /memories/<label> (str_replace, insert, delete, create).'),
    file_text: z.string().nullish().describe('Starting text of a new block (create).'),
    description: z.string().nullish().describe('Description of the block (create, rename).'),
    old_string: z.string().nullish().describe('Text to replace, copied exactly (str_replace).'),
    new_string: z.string().nullish().describe('Replacement text (str_replace).'),
    insert_line: z.number().int().nullish().describe('Insert after this line (insert; 0 = top, -1 = end).'),
    insert_text: z.string().nullish().describe('Text to insert (insert).'),
    old_path: z.string().nullish().describe('Current path of the block (rename).'),
    new_path: z.string().nullish().describe('New path of the block (rename).'),
  }),
  run(args, ctx) {
    const command = args.command;
    if (command === 'str_replace') {
      const path = need(args.path, 'path', command);
      const old_string = need(args.old_string, 'old_string', command);
      const new_string = need(args.new_string, 'new_string', command);
      return memoryReplace.run({ label: labelFromPath(ctx.memory, path), old_string, new_string }, ctx);
    }
    if (command === 'insert') {
      const path = need(args.path, 'path', command);
      const insert_text = need(args.insert_text, 'insert_text', command);
      return memoryInsert.run(
        { label: labelFromPath(ctx.memory, path), new_string: insert_text, insert_line: args.insert_line ?? -1 },
        ctx,
      );
    }
    if ((COMMANDS as readonly string[]).includes(command)) {
      throw new ToolInputError(
        `Error: the '${command}' command is not supported on this server; only str_replace and insert are. Ask the user to change which memory blocks exist.`,
      );
    }
    throw new ToolInputError(`Error: Unknown command '${command}'. Supported commands: create, str_replace, insert, delete, rename`);
  },
});
