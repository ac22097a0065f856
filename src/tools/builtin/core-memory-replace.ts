import { z } from 'zod';
import { defineTool, ToolInputError } from '../tool.js';
import { expandTabs, requireWritableBlock, writeBlock } from './memory-helpers.js';

export const coreMemoryReplace = defineTool({
  name: 'core_memory_replace',
  description:
    'Replace text in one of your core memory blocks. Every occurrence of old_content is replaced. To delete text, pass an empty string as new_content.',
  toolType: 'letta_memory_core',
  args: z.object({
    label: z.string().describe('Label of the block to edit.'),
    old_content: z.string().describe('Exact text currently in the block.'),
    new_content: z.string().describe('Text to put in its place (empty string deletes it).'),
  }),
  run({ label, old_content, new_content }, ctx) {
    const block = requireWritableBlock(ctx.memory, label);
    const value = expandTabs(block.value);
    const oldText = expandTabs(old_content);
    if (oldText === '') throw new ToolInputError('old_content must not be empty.');
    if (!value.includes(oldText)) {
      throw new ToolInputError(`Old content '${old_content}' not found in memory block '${label}'`);
    }
    return writeBlock(ctx.memory, block, value.split(oldText).join(expandTabs(new_content)));
  },
});
