// The multi-agent built-ins, for src/tools/builtin/registry.ts to include in BUILTIN_TOOLS.
import { sendMessageToAgentAndWaitForReply } from './send-message-to-agent-and-wait-for-reply.js';
import { sendMessageToAgentAsync } from './send-message-to-agent-async.js';
import { sendMessageToAgentsMatchingTags } from './send-message-to-agents-matching-tags.js';

export const MULTI_AGENT_TOOLS = [sendMessageToAgentAndWaitForReply, sendMessageToAgentAsync, sendMessageToAgentsMatchingTags] as const;
