// The loop hands multi-agent tools a messenger through ToolContext; without one the tool fails politely.
import type { AgentMessenger } from './messenger-types.js';
import { ToolInputError, type ToolContext } from '../../tool.js';

export function messengerOf(ctx: ToolContext): AgentMessenger {
  const m = (ctx as ToolContext & { messenger?: AgentMessenger }).messenger;
  if (!m) throw new ToolInputError('Multi-agent messaging is not available on this server.');
  return m;
}
