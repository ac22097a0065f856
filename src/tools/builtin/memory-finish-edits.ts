import { z } from 'zod';
import { defineTool } from '../tool.js';

export const memoryFinishEdits = defineTool({
  name: 'memory_finish_edits',
  description: 'Signal that you are done editing memory for now. Ends your turn.',
  toolType: 'letta_sleeptime_core',
  args: z.object({}),
  run: () => null,
});
