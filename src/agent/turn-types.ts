// Shapes the turn loop and the turn store share: the state a turn works on, and how its run ends.
import type { AgentRow, BlockRow, MessageRow, ToolRow } from '../db/rows.js';
import type { Usage } from '../llm/types.js';

const STOP_REASONS = [
  'end_turn',
  'error',
  'llm_api_error',
  'invalid_llm_response',
  'invalid_tool_call',
  'max_steps',
  'max_tokens_exceeded',
  'no_tool_call',
  'tool_rule',
  'cancelled',
  'insufficient_credits',
  'requires_approval',
  'context_window_overflow_in_system_prompt',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

const COMPLETED: ReadonlySet<StopReason> = new Set(['end_turn', 'max_steps', 'tool_rule', 'requires_approval']);
export function runStatusFor(reason: StopReason): 'completed' | 'failed' | 'cancelled' {
  if (reason === 'cancelled') return 'cancelled';
  return COMPLETED.has(reason) ? 'completed' : 'failed';
}

/** `contextTokens`: prompt + completion tokens of the turn's last model call, the size of the context it leaves. */
export type TurnUsage = Usage & { stepCount: number; contextTokens?: number };

/** Everything one turn works on, loaded once and updated in memory as steps commit. */
export type TurnState = {
  agent: AgentRow;
  /** Set for a conversation turn: in-context ids live in conversations.message_ids. */
  conversationId: string | null;
  blocks: BlockRow[];
  tools: ToolRow[];
  /** In-context messages, message_ids order; [0] is the system message. */
  context: MessageRow[];
  archivalCount: number;
  totalMessages: number;
};
