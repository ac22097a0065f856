import { z } from 'zod';
import { idParam } from '../../ids.js';

export const MessageSearchBody = z.object({
  query: z.string(),
  agent_id: idParam('agent').nullish(),
  conversation_id: z.string().nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  limit: z.number().int().min(1).max(100).nullish(),
  search_mode: z.enum(['vector', 'fts', 'hybrid']).nullish(),
});
export type MessageSearchBody = z.infer<typeof MessageSearchBody>;

export const MessageSearchItem = z.object({
  message_type: z.enum(['user_message', 'assistant_message', 'system_message']),
  message_id: z.string(),
  agent_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  content: z.string(),
  created_at: z.string(),
  rrf_score: z.number(),
  vector_rank: z.number().int().nullable(),
  fts_rank: z.number().int().nullable(),
});
export type MessageSearchItem = z.infer<typeof MessageSearchItem>;
