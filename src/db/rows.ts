// Row types of every table: what a select returns (`…Row`) and what an insert takes (`…Insert`). They live with the
// schema so any layer can name a row without importing the resource that happens to own its queries.
import type {
  agents,
  apiKeys,
  archives,
  conversations,
  groups,
  identities,
  mcpServers,
  messages,
  organizations,
  passages,
  runs,
  steps,
  tools,
  blocks,
} from './schema/index.js';

export type AgentRow = typeof agents.$inferSelect;
export type AgentInsert = typeof agents.$inferInsert;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ApiKeyInsert = typeof apiKeys.$inferInsert;
export type ArchiveRow = typeof archives.$inferSelect;
export type ArchiveInsert = typeof archives.$inferInsert;
export type BlockRow = typeof blocks.$inferSelect;
export type BlockInsert = typeof blocks.$inferInsert;
export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationInsert = typeof conversations.$inferInsert;
export type GroupRow = typeof groups.$inferSelect;
export type GroupInsert = typeof groups.$inferInsert;
export type IdentityRow = typeof identities.$inferSelect;
export type IdentityInsert = typeof identities.$inferInsert;
export type McpServerRow = typeof mcpServers.$inferSelect;
export type McpServerInsert = typeof mcpServers.$inferInsert;
export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;
export type OrgRow = typeof organizations.$inferSelect;
export type OrgInsert = typeof organizations.$inferInsert;
export type PassageRow = typeof passages.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type RunInsert = typeof runs.$inferInsert;
export type StepRow = typeof steps.$inferSelect;
export type ToolRow = typeof tools.$inferSelect;
export type ToolInsert = typeof tools.$inferInsert;

/** What creating a run takes (runs.repo `createRun`, the turn store's claim). */
export type NewRun = {
  orgId: string;
  agentId: string;
  background?: boolean;
  metadata?: Record<string, unknown>;
  requestConfig?: Record<string, unknown>;
  callbackUrl?: string | null;
  conversationId?: string | null;
};
