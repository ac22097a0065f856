// Blocks an agent owns without having them in its context: the files outside `system/` of its memory repository.
// A block is attached (agent_blocks) or owned detached (this table) by an agent, never both.
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId, timestamps } from './columns.js';
import { agents } from './agents.js';
import { blocks } from './blocks.js';

export const agentDetachedBlocks = pgTable(
  'agent_detached_blocks',
  {
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    blockId: text('block_id')
      .notNull()
      .references(() => blocks.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.blockId] }), index('agent_detached_blocks_block_idx').on(t.blockId)],
);
