import { z } from 'zod';
import { defineTool, ToolInputError } from '../tool.js';

export const archivalMemoryInsert = defineTool({
  name: 'archival_memory_insert',
  description:
    'Save a passage to archival memory, your long-term store outside the context window. Write self-contained text that will still make sense when found later; tags help narrow future searches.',
  toolType: 'letta_core',
  args: z.object({
    content: z.string().describe('The passage to store.'),
    tags: z.array(z.string()).optional().describe('Optional labels for grouping and filtering passages.'),
  }),
  async run({ content, tags }, ctx) {
    if (content.trim() === '') throw new ToolInputError('content must not be empty.');
    // Long text is split into several passages; the backend's `note` says so, and the model should know.
    const res = (await ctx.archival.insert(content, tags)) as { ids: string[]; note?: string };
    return res.note ?? null; // Otherwise like Letta: nothing, the model sees "None" with status OK.
  },
});
