// Memory repositories: API and agent edits of blocks become commits; a pushed commit becomes block edits, atomically.
import type { Actor } from '../actor.js';
import type { Db } from '../db/client.js';
import { assertAgentExists } from '../resources/agents/agents.repo.js';
import { listAgentBlockRows } from '../memory/block-rows.js';
import { deleteUnheldBlocks, disownDetached, listDetachedBlockRows, ownDetached } from '../memory/detached-blocks.js';
import * as blocksRepo from '../resources/blocks/blocks.repo.js';
import { newId } from '../ids.js';
import { propagateBlockChange } from '../sleeptime/sleeptime-blocks.js';
import { BlockFileError, type BlockFields } from './block-files.js';
import { buildTree, encodeCommit, makeObject, type GitObject } from './git-objects.js';
import { EMPTY_SNAPSHOT, filesFromBlocks, loadSnapshot, type AgentBlocks } from './memfs-tree.js';
import * as repo from './memfs.repo.js';
import { planPush, PushRejected, type PushPlan } from './push-plan.js';

export type MemfsLimits = { maxFiles: number; maxFileBytes: number };
export type PushOutcome = { ok: boolean; message: string };

const SERVER_AUTHOR = 'Mnemo <memory@mnemo.invalid>';

export function createMemfsService(deps: { db: Db; limits: MemfsLimits; log?: { warn(obj: object, msg: string): void } }) {
  const { db, limits } = deps;

  /**
   * Commits the agent's blocks if they differ from `main` (creating the repository on first use unless `onlyIfTracked`);
   * returns the tip. `source` names who changed the blocks in the commit message.
   */
  async function sync(actor: Actor, agentId: string, source = 'the API', onlyIfTracked = false): Promise<string | undefined> {
    return db.transaction(async (t) => {
      const tx = t as Db;
      await assertAgentExists(tx, actor.orgId, agentId);
      const head = await repo.lockHead(tx, agentId);
      if (!head && onlyIfTracked) return undefined;
      const blocks = await agentBlocks(tx, actor, agentId);
      const base = head ? await loadSnapshot(tx, agentId, head, limits.maxFiles) : EMPTY_SNAPSHOT;
      const next = filesFromBlocks(blocks, base);
      if (head && next.changed.length === 0) return head;
      const tree = buildTree(next.files);
      const message = head ? `Update memory from ${source}: ${summarise(next.changed)}` : "Initial memory from the agent's blocks";
      const commit = makeObject(
        'commit',
        encodeCommit({ tree: tree.root, parents: head ? [head] : [], author: SERVER_AUTHOR, message, time: new Date() }),
      );
      await repo.insertObjects(tx, actor.orgId, agentId, [...next.blobs, ...tree.trees, commit]);
      if (head) await repo.moveHead(tx, agentId, head, commit.sha);
      else if (!(await repo.insertHead(tx, actor.orgId, agentId, commit.sha))) return (await repo.readHead(tx, agentId)) ?? commit.sha;
      return commit.sha;
    });
  }

  /** Applies a fast-forward of `main` from `oldSha` to `newSha` (already checked by git) with the pushed objects. */
  async function applyPush(actor: Actor, agentId: string, oldSha: string, newSha: string, objects: GitObject[]): Promise<PushOutcome> {
    try {
      const plan = await db.transaction(async (t) => {
        const tx = t as Db;
        const head = await repo.lockHead(tx, agentId);
        if (head !== oldSha) throw new PushRejected('main has moved on at the server since your fetch: fetch, merge and push again');
        const blocks = await agentBlocks(tx, actor, agentId);
        const before = await loadSnapshot(tx, agentId, head, limits.maxFiles);
        if (filesFromBlocks(blocks, before).changed.length > 0) {
          throw new PushRejected('memory was edited through the API since your fetch: fetch, merge and push again');
        }
        const after = await loadSnapshot(tx, agentId, newSha, limits.maxFiles, new Map(objects.map((o) => [o.sha, o])));
        const planned = planPush(blocks, after, limits.maxFileBytes);
        const change = await applyPlan(tx, actor, agentId, planned);
        await propagateBlockChange(tx, actor.orgId, agentId, change);
        await repo.insertObjects(tx, actor.orgId, agentId, objects);
        if (!(await repo.moveHead(tx, agentId, oldSha, newSha)))
          throw new PushRejected('main moved on during the push: fetch and push again');
        return planned;
      });
      return { ok: true, message: outcome(plan) };
    } catch (e) {
      if (e instanceof PushRejected || e instanceof BlockFileError) return { ok: false, message: e.message };
      throw e;
    }
  }

  /**
   * After an edit is stored: one commit per agent that holds the block (attached or owned) and has a repository, naming the edit's
   * source. Best effort (the next git request commits whatever is still uncommitted), so it never fails the edit.
   */
  async function commitEdit(actor: Actor, target: { agentId?: string; blockIds?: string[] }, source: string): Promise<void> {
    // One query finds the agents with a repository; most have none, and then nothing else runs.
    let tracked: string[];
    try {
      tracked = await repo.agentsWithRepository(db, actor.orgId, target.agentId ? [target.agentId] : [], target.blockIds ?? []);
    } catch (err) {
      deps.log?.warn({ err, agentId: target.agentId }, 'memory repository lookup failed; the next git request commits the edit');
      return;
    }
    for (const agentId of tracked) {
      try {
        await sync(actor, agentId, source, true);
      } catch (err) {
        deps.log?.warn({ err, agentId }, 'memory repository commit failed; the next git request retries it');
      }
    }
  }

  return {
    sync,
    commitEdit,
    applyPush,
    headOf: (agentId: string) => repo.readHead(db, agentId),
    listObjectShas: (agentId: string) => repo.listObjectShas(db, agentId),
    getObjects: (agentId: string, shas: string[]) => repo.getObjects(db, agentId, shas),
  };
}

async function agentBlocks(tx: Db, actor: Actor, agentId: string): Promise<AgentBlocks> {
  return { attached: await listAgentBlockRows(tx, actor.orgId, agentId), detached: await listDetachedBlockRows(tx, actor.orgId, agentId) };
}

/** Writes the plan; returns the blocks the agent gained and lost in its context (its sleep-time companions follow). */
async function applyPlan(tx: Db, actor: Actor, agentId: string, plan: PushPlan): Promise<{ add: string[]; remove: string[] }> {
  for (const { row, next, label } of plan.updates) {
    const done = await blocksRepo.updateBlockAtVersion(tx, actor.orgId, row.id, row.version, {
      ...patchOf(next),
      label: label ?? row.label,
    });
    if (!done) throw new PushRejected(`${row.label}: the block changed while the push was applied: fetch and push again`);
  }
  const created =
    plan.creates.length === 0
      ? []
      : await blocksRepo.insertBlocks(
          tx,
          plan.creates.map(({ label, next }) => ({ id: newId('block'), organizationId: actor.orgId, label, ...patchOf(next) })),
        );
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const add = [...ids(created.filter((_, i) => plan.creates[i]?.attached)), ...ids(plan.attaches)];
  const own = [...ids(created.filter((_, i) => !plan.creates[i]?.attached)), ...ids(plan.detaches)];
  const remove = [...ids(plan.detaches), ...ids(plan.drops)];
  await blocksRepo.linkBlocks(tx, actor.orgId, agentId, add);
  await blocksRepo.unlinkBlocks(tx, agentId, remove);
  await disownDetached(tx, agentId, [...ids(plan.attaches), ...ids(plan.deletes)]);
  await ownDetached(tx, actor.orgId, agentId, own);
  await deleteUnheldBlocks(tx, actor.orgId, ids(plan.deletes));
  return { add, remove };
}

function outcome(p: PushPlan): string {
  const counts = `${p.updates.length} changed, ${p.creates.length} created, ${p.detaches.length + p.drops.length} detached`;
  return `memory updated: ${counts}, ${p.attaches.length} attached, ${p.deletes.length} removed`;
}

function patchOf(f: BlockFields) {
  return { value: f.value, description: f.description, limit: f.limit, readOnly: f.readOnly, metadata: f.metadata };
}

function summarise(paths: string[]): string {
  return paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`;
}

export type MemfsService = ReturnType<typeof createMemfsService>;
