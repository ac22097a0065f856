import { z } from 'zod';
import { defineTool } from '../tool.js';
import { rejectLineNumbers, requireWritableBlock, writeBlock } from './memory-helpers.js';

// Letta creates an unsaved in-memory block for an unknown label, so the rewrite silently vanishes. We refuse
// instead and list the real labels; creating blocks is an API operation, not a memory edit.
export const memoryRethink = defineTool({
  name: 'memory_rethink',
  description:
    'Rewrite a memory block from scratch: its whole value is replaced by new_memory. Use it to reorganise or condense a block, not for small edits.',
  toolType: 'letta_sleeptime_core',
  args: z.object({
    label: z.string().describe('Label of the block to rewrite.'),
    new_memory: z.string().describe('The complete new contents of the block, without line numbers.'),
  }),
  run({ label, new_memory }, ctx) {
    const block = requireWritableBlock(ctx.memory, label);
    rejectLineNumbers('new_memory', new_memory, true);
    return writeBlock(ctx.memory, block, new_memory);
  },
});
