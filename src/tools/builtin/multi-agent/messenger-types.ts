// What the multi-agent tools can do, given to them through ToolContext.messenger by the agent loop.
import type { Actor } from '../../../actor.js';

export type AgentReply = { agent_id: string; response: string[] };

export type AgentMessenger = {
  /** Runs the other agent's turn now and returns what it said. */
  sendAndWait(message: string, otherAgentId: string): Promise<AgentReply>;
  /** Queues the other agent's turn durably and returns at once. */
  sendAsync(message: string, otherAgentId: string): Promise<string>;
  /** Messages every agent (except the sender) carrying all of matchAll and at least one of matchSome. */
  sendToTags(message: string, matchAll: string[], matchSome: string[]): Promise<AgentReply[]>;
};

export type MessengerScope = { actor: Actor; agentId: string; runId: string };
