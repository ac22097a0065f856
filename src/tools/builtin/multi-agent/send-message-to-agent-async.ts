import { z } from 'zod';
import { defineTool } from '../../tool.js';
import { messengerOf } from './messenger-of.js';

export const sendMessageToAgentAsync = defineTool({
  name: 'send_message_to_agent_async',
  description: 'Send a one-way message to another agent without waiting. Its answer, if any, does not come back here.',
  toolType: 'letta_multi_agent_core',
  args: z.object({
    message: z.string().describe('The note for the other agent. It sees your agent id and name.'),
    other_agent_id: z.string().describe('The id of the agent to message (agent-<uuid>).'),
  }),
  run: (args, ctx) => messengerOf(ctx).sendAsync(args.message, args.other_agent_id),
});
