// Keeping a sleep-time companion's shared blocks in step with its primary: blocks attached to the primary after
// sleep-time was enabled are shared too, and blocks detached from the primary stop being shared. Blocks only the
// companion has (its memory_persona, or any a user attached to it directly) are left alone.
import type { Db } from '../db/client.js';
import { listAgentBlockRows } from '../memory/block-rows.js';
import { linkBlocks, unlinkBlocks } from '../resources/blocks/blocks.repo.js';
import { findSleeptimeGroup, loadGroupLinks } from '../resources/groups/groups.repo.js';
import type { BlockRow } from '../db/rows.js';

/** The companion's own block; a primary block with this label is never shared (the companion has one). */
const COMPANION_OWN_LABEL = 'memory_persona';

async function companionsOf(db: Db, orgId: string, primaryId: string): Promise<string[]> {
  const group = await findSleeptimeGroup(db, orgId, primaryId);
  if (!group) return [];
  return (await loadGroupLinks(db, [group.id])).get(group.id)?.agentIds ?? [];
}

/** Links the blocks the companion lacks, skipping labels it already uses (labels are unique per agent). */
async function shareMissing(db: Db, orgId: string, companionId: string, blocks: BlockRow[]): Promise<void> {
  if (blocks.length === 0) return;
  const have = await listAgentBlockRows(db, orgId, companionId);
  const ids = new Set(have.map((b) => b.id));
  const labels = new Set(have.map((b) => b.label));
  await linkBlocks(
    db,
    orgId,
    companionId,
    blocks.filter((b) => !ids.has(b.id) && !labels.has(b.label)).map((b) => b.id),
  );
}

const shareable = (blocks: BlockRow[]) => blocks.filter((b) => b.label !== COMPANION_OWN_LABEL);

/** After the primary's blocks changed: shares `add` and unshares `remove` with each of its companions. */
export async function propagateBlockChange(
  db: Db,
  orgId: string,
  primaryId: string,
  change: { add?: string[]; remove?: string[] },
): Promise<void> {
  const companions = await companionsOf(db, orgId, primaryId);
  if (companions.length === 0) return;
  const added = new Set(change.add ?? []);
  const blocks = added.size ? shareable(await listAgentBlockRows(db, orgId, primaryId)).filter((b) => added.has(b.id)) : [];
  for (const c of companions) {
    if (change.remove?.length) await unlinkBlocks(db, c, change.remove);
    await shareMissing(db, orgId, c, blocks);
  }
}

/** Before a companion run: shares every primary block it lacks (also covers links made outside the agents API). */
export async function shareAllPrimaryBlocks(db: Db, orgId: string, primaryId: string, companionIds: string[]): Promise<void> {
  const blocks = shareable(await listAgentBlockRows(db, orgId, primaryId));
  for (const c of companionIds) await shareMissing(db, orgId, c, blocks);
}
