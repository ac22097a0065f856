import { z } from 'zod';
import { defineTool } from '../../tool.js';
import { messengerOf } from './messenger-of.js';

export const sendMessageToAgentsMatchingTags = defineTool({
  name: 'send_message_to_agents_matching_tags',
  description:
    'Send a message to every other agent whose tags include all of match_all and at least one of match_some, ' +
    'wait for their answers and get them back as a list.',
  toolType: 'letta_multi_agent_core',
  args: z.object({
    message: z.string().describe('The message for each matching agent.'),
    match_all: z.array(z.string()).describe('Tags an agent must all carry (may be empty).'),
    match_some: z.array(z.string()).describe('An agent must carry at least one of these tags (empty: no such condition).'),
  }),
  run: (args, ctx) => messengerOf(ctx).sendToTags(args.message, args.match_all, args.match_some),
});
