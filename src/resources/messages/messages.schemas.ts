// Wire shapes of the messages API: stored-message reads and the list queries (sending is in src/turns/).
import { z } from 'zod';
import { idParam } from '../../ids.js';
import { pageQuery, queryArray, queryBool, queryString } from '../../http/query.js';

export const LettaMessageWire = z.looseObject({ id: z.string(), message_type: z.string() });

export const AgentIdParams = z.object({ agent_id: idParam('agent') });
export const MessageIdParams = z.object({ message_id: idParam('message') });

export const ListMessagesQuery = z.object({
  ...pageQuery(1000),
  group_id: queryString(),
  conversation_id: queryString(),
  use_assistant_message: queryBool(),
  assistant_message_tool_name: queryString(),
  assistant_message_tool_kwarg: queryString(),
  include_err: queryBool(),
  include_return_message_types: queryArray({ commaSeparated: true }),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

export const ResetMessagesBody = z.object({ add_default_initial_messages: z.boolean().default(false) }).nullish();
export const RecompileQuery = z.object({ dry_run: queryBool(), update_timestamp: queryBool() });

export const ListAllMessagesQuery = z.object({
  ...pageQuery(1000),
  agent_id: queryString(),
  run_id: queryString(),
  role: queryString(),
});
