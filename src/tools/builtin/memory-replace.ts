import { z } from 'zod';
import { defineTool, ToolInputError } from '../tool.js';
import { expandTabs, linesContaining, rejectLineNumbers, requireWritableBlock, writeBlock } from './memory-helpers.js';

export const memoryReplace = defineTool({
  name: 'memory_replace',
  description:
    'Swap one exact piece of text in a memory block for another. old_string must appear exactly once in the block; quote it verbatim and leave out any displayed line numbers. To delete text, pass an empty new_string.',
  toolType: 'letta_memory_core',
  args: z.object({
    label: z.string().describe('Label of the block to edit.'),
    old_string: z.string().describe('Text to replace, copied exactly and occurring once in the block.'),
    new_string: z.string().describe('Replacement text (empty string deletes old_string).'),
  }),
  run({ label, old_string, new_string }, ctx) {
    const block = requireWritableBlock(ctx.memory, label);
    rejectLineNumbers('old_string', old_string, true);
    rejectLineNumbers('new_string', new_string, true);
    const value = expandTabs(block.value);
    const oldText = expandTabs(old_string);
    if (oldText === '') throw new ToolInputError('old_string must not be empty.');
    const count = value.split(oldText).length - 1;
    if (count === 0) {
      throw new ToolInputError(
        `No replacement was performed, old_string \`${old_string}\` did not appear verbatim in memory block with label \`${label}\`.`,
      );
    }
    if (count > 1) {
      const lines = `[${linesContaining(value, oldText).join(', ')}]`;
      throw new ToolInputError(
        `No replacement was performed. Multiple occurrences of old_string \`${old_string}\` in lines ${lines}. Please ensure it is unique.`,
      );
    }
    return writeBlock(
      ctx.memory,
      block,
      value.replace(oldText, () => expandTabs(new_string)),
    );
  },
});
