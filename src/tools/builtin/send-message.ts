import { z } from 'zod';
import { defineTool } from '../tool.js';

export const sendMessage = defineTool({
  name: 'send_message',
  description: 'Show a message to the user. This is the only way the user sees anything you write.',
  toolType: 'letta_core',
  args: z.object({
    message: z.string().describe('The text to show the user. Any Unicode, emoji included, is fine.'),
  }),
  run: () => 'Sent message successfully.',
});
