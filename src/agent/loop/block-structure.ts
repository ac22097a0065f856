// The SQL side of the memory tool's structural commands (create, delete, relabel, describe) for one step: each is
// written at once (relabel and describe with the block's compare-and-set), and the step's snapshot follows it.
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { agentBlocks, blocks } from '../../db/schema/index.js';
import { newId } from '../../ids.js';
import { ToolInputError, type BlockStructureAccess } from '../../tools/tool.js';
import { blockView } from '../system-message.js';
import type { BlockInsert, BlockRow } from '../../db/rows.js';

/** The step's view of the agent's blocks: rows by label (in prompt order) and the rows with unsaved value edits. */
export type BlockSnapshot = { byLabel: Map<string, BlockRow>; changed: Map<string, BlockRow> };

export type StructureHooks = {
  /** After a block left the agent, before it is deleted when unheld (sleep-time companions let go of it here). */
  detached?: (actor: Actor, agentId: string, blockIds: string[]) => Promise<void>;
  /** After any structural change was written. */
  changed: () => void;
};

const CONFLICT = 'Error: the block was changed at the same time by someone else; look at it again and retry';

function rowOf(snap: BlockSnapshot, label: string): BlockRow {
  const row = snap.byLabel.get(label);
  if (!row) throw new ToolInputError(`Error: memory block '${label}' does not exist`);
  return row;
}

/** Replaces `label`'s entry (keeping its position) or appends; `next` undefined removes it. */
function put(snap: BlockSnapshot, label: string, next?: BlockRow): void {
  const entries = [...snap.byLabel].flatMap(([k, v]): [string, BlockRow][] =>
    k === label ? (next ? [[next.label, next]] : []) : [[k, v]],
  );
  if (next && !snap.byLabel.has(label)) entries.push([next.label, next]);
  snap.byLabel.clear();
  for (const [k, v] of entries) snap.byLabel.set(k, v);
  snap.changed.delete(label);
}

export function sqlBlockStructure(db: Db, actor: Actor, agentId: string, snap: BlockSnapshot, hooks: StructureHooks): BlockStructureAccess {
  /** Writes `patch` (plus any unsaved edit of the block's value) only if the block is still at the step's version. */
  async function update(label: string, patch: Partial<BlockInsert>): Promise<BlockRow> {
    const row = rowOf(snap, label);
    const [next] = await db
      .update(blocks)
      .set({ value: row.value, ...patch, version: sql`${blocks.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(blocks.organizationId, actor.orgId), eq(blocks.id, row.id), eq(blocks.version, row.version)))
      .returning();
    if (!next) throw new ToolInputError(CONFLICT);
    put(snap, label, next);
    hooks.changed();
    return next;
  }

  return {
    async create(b) {
      const row = await db.transaction(async (t) => {
        const tx = t as Db;
        const [inserted] = await tx
          .insert(blocks)
          .values({ id: newId('block'), organizationId: actor.orgId, label: b.label, value: b.value, description: b.description })
          .returning();
        if (!inserted) throw new Error('block insert returned nothing');
        await tx.insert(agentBlocks).values({ agentId, blockId: inserted.id, organizationId: actor.orgId });
        return inserted;
      });
      put(snap, b.label, row);
      hooks.changed();
      return blockView(row);
    },
    async remove(label) {
      const row = rowOf(snap, label);
      await db.delete(agentBlocks).where(and(eq(agentBlocks.agentId, agentId), eq(agentBlocks.blockId, row.id)));
      put(snap, label);
      hooks.changed();
      await hooks.detached?.(actor, agentId, [row.id]);
      // Deleted only while nobody holds it; a block shared with another agent stays theirs.
      await db.execute(
        sql`delete from ${blocks} where ${blocks.id} = ${row.id} and ${blocks.organizationId} = ${actor.orgId}
            and not exists (select 1 from ${agentBlocks} where ${agentBlocks.blockId} = ${row.id})`,
      );
    },
    relabel: async (label, newLabel) => blockView(await update(label, { label: newLabel })),
    describe: async (label, description) => blockView(await update(label, { description })),
  };
}
