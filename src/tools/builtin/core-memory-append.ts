import { z } from 'zod';
import { defineTool } from '../tool.js';
import { requireWritableBlock, writeBlock } from './memory-helpers.js';

export const coreMemoryAppend = defineTool({
  name: 'core_memory_append',
  description: 'Add text to the end of one of your core memory blocks, on a new line.',
  toolType: 'letta_memory_core',
  args: z.object({
    label: z.string().describe('Label of the block to extend.'),
    content: z.string().describe('Text to add. Any Unicode, emoji included, is fine.'),
  }),
  run({ label, content }, ctx) {
    const block = requireWritableBlock(ctx.memory, label);
    // Letta always joins with "\n"; an empty block would then start with a blank line, which helps nobody.
    const next = block.value === '' ? content : `${block.value}\n${content}`;
    return writeBlock(ctx.memory, block, next);
  },
});
