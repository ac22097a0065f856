import { z } from 'zod';
import { defineTool, ToolInputError } from '../tool.js';
import { expandTabs, rejectLineNumbers, requireWritableBlock, writeBlock } from './memory-helpers.js';

export const memoryInsert = defineTool({
  name: 'memory_insert',
  description:
    'Insert text as new lines into a memory block. insert_line is the line to insert after: 0 puts the text at the top, -1 (the default) at the end.',
  toolType: 'letta_memory_core',
  args: z.object({
    label: z.string().describe('Label of the block to edit.'),
    new_string: z.string().describe('Text to insert; may span several lines. Do not include line numbers.'),
    insert_line: z.number().int().default(-1).describe('Insert after this line number (0 = top of the block, -1 = after the last line).'),
  }),
  run({ label, new_string, insert_line }, ctx) {
    const block = requireWritableBlock(ctx.memory, label);
    rejectLineNumbers('new_string', new_string, true);
    const value = expandTabs(block.value);
    // An empty block has no lines (Letta counts one empty line and leaves a stray blank line behind).
    const lines = value === '' ? [] : value.split('\n');
    const at = insert_line === -1 ? lines.length : insert_line;
    if (at < 0 || at > lines.length) {
      throw new ToolInputError(
        `Invalid \`insert_line\` parameter: ${insert_line}. It should be within the range of lines of the memory block: [0, ${lines.length}], or -1 to append to the end of the memory block.`,
      );
    }
    const next = [...lines.slice(0, at), ...expandTabs(new_string).split('\n'), ...lines.slice(at)];
    return writeBlock(ctx.memory, block, next.join('\n'));
  },
});
