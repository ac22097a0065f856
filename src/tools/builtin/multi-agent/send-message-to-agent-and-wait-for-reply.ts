import { z } from 'zod';
import { defineTool } from '../../tool.js';
import { messengerOf } from './messenger-of.js';

export const sendMessageToAgentAndWaitForReply = defineTool({
  name: 'send_message_to_agent_and_wait_for_reply',
  description: "Send a message to another agent and wait for its answer, which comes back as this tool's result.",
  toolType: 'letta_multi_agent_core',
  args: z.object({
    message: z.string().describe('What to tell or ask the other agent. It sees your agent id and name.'),
    other_agent_id: z.string().describe('The id of the agent to message (agent-<uuid>).'),
  }),
  run: (args, ctx) => messengerOf(ctx).sendAndWait(args.message, args.other_agent_id),
});
