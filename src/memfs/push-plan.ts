// What a pushed tree asks of the agent's blocks: edits, new blocks, moves into and out of `system/` (attach, detach),
// removals; or every reason to refuse. Identity follows the label: `system/<label>.md` and `<label>.md` are one block.
import { DEFAULT_BLOCK_LIMIT } from '../resources/blocks/blocks.schemas.js';
import {
  applyFile,
  BlockFileError,
  detachedPath,
  labelToPath,
  parseBlockFile,
  pathToBlock,
  sameFields,
  SYSTEM_DIR,
  type BlockFields,
} from './block-files.js';
import { blockFields, type AgentBlocks, type Snapshot } from './memfs-tree.js';
import type { BlockRow } from '../db/rows.js';

export type PushPlan = {
  /** Field changes; `label` is set when the file moved to another path with its content unchanged (a rename). */
  updates: { row: BlockRow; next: BlockFields; label?: string }[];
  creates: { label: string; next: BlockFields; attached: boolean }[];
  /** Owned detached blocks whose file moved into `system/`. */
  attaches: BlockRow[];
  /** Attached blocks whose file moved out of `system/`: the agent keeps them, detached. */
  detaches: BlockRow[];
  /** Attached blocks whose file is gone: detached, no longer the agent's. */
  drops: BlockRow[];
  /** Owned detached blocks whose file is gone: no longer the agent's (deleted when nobody else holds them). */
  deletes: BlockRow[];
};

/** Thrown with every problem of a push, one line each, each naming its file. */
export class PushRejected extends Error {}

const FILE_MODES = new Set(['100644', '100755']);

export function planPush(blocks: AgentBlocks, after: Snapshot, maxFileBytes: number): PushPlan {
  const attached = new Map(blocks.attached.filter((b) => labelToPath(b.label)).map((b) => [b.label, b]));
  const detached = new Map(blocks.detached.filter((b) => detachedPath(b.label)).map((b) => [b.label, b]));
  const plan: PushPlan = { updates: [], creates: [], attaches: [], detaches: [], drops: [], deletes: [] };
  const seen = new Set<string>();
  const errors: string[] = [];
  for (const [path, entry] of after.files) {
    try {
      if (!FILE_MODES.has(entry.mode)) throw new BlockFileError(`${path}: only regular files are accepted (no symlinks or submodules)`);
      const block = pathToBlock(path);
      if (block === undefined) {
        if (path.startsWith(SYSTEM_DIR) && path.endsWith('.md')) throw new BlockFileError(`${path}: not a usable block label`);
        continue;
      }
      const { label } = block;
      const other = block.attached ? detachedPath(label) : labelToPath(label);
      if (block.attached && other && after.files.has(other)) {
        throw new BlockFileError(`${path} and ${other}: one block cannot be both attached and detached; keep one of them`);
      }
      const blob = after.objects.get(entry.sha);
      if (!blob) throw new BlockFileError(`${path}: the pushed blob is missing`);
      if (blob.data.length > maxFileBytes)
        throw new BlockFileError(`${path}: ${blob.data.length} bytes, over the ${maxFileBytes}-byte limit of a block file`);
      const row = attached.get(label) ?? detached.get(label);
      seen.add(label);
      planFile(plan, path, block.attached, parseBlockFile(path, blob.data), row);
      if (row) planMove(plan, path, row, attached.has(label), block.attached);
    } catch (e) {
      if (!(e instanceof BlockFileError)) throw e;
      errors.push(e.message);
    }
  }
  planRemovals(plan, attached, detached, seen, errors);
  planRenames(plan, attached);
  if (errors.length > 0) throw new PushRejected(errors.slice(0, 20).join('\n'));
  return plan;
}

function planRemovals(
  plan: PushPlan,
  attached: Map<string, BlockRow>,
  detached: Map<string, BlockRow>,
  seen: Set<string>,
  errors: string[],
) {
  for (const [label, row] of attached) {
    if (seen.has(label)) continue;
    if (row.readOnly) errors.push(`${labelToPath(label)}: the block is read-only; it can only be detached through the API`);
    else plan.drops.push(row);
  }
  for (const [label, row] of detached) {
    if (seen.has(label)) continue;
    if (row.readOnly) errors.push(`${detachedPath(label)}: the block is read-only; it can only be removed through the API`);
    else plan.deletes.push(row);
  }
}

/** A new file holding exactly a removed block's text and description is that block moved (git has no renames). */
function planRenames(plan: PushPlan, attached: Map<string, BlockRow>): void {
  plan.creates = plan.creates.filter((c) => {
    const same = (r: BlockRow) => r.value === c.next.value && r.description === c.next.description;
    const gone = plan.drops.find(same) ?? plan.deletes.find(same);
    if (!gone) return true;
    plan.drops = plan.drops.filter((r) => r !== gone);
    plan.deletes = plan.deletes.filter((r) => r !== gone);
    plan.updates.push({ row: gone, next: blockFields(gone), label: c.label });
    const wasAttached = attached.get(gone.label) === gone;
    if (wasAttached !== c.attached) (c.attached ? plan.attaches : plan.detaches).push(gone);
    return false;
  });
}

function planMove(plan: PushPlan, path: string, row: BlockRow, wasAttached: boolean, isAttached: boolean): void {
  if (wasAttached === isAttached) return;
  if (row.readOnly) throw new BlockFileError(`${path}: the block is read-only; it can only be attached or detached through the API`);
  (isAttached ? plan.attaches : plan.detaches).push(row);
}

function planFile(plan: PushPlan, path: string, attached: boolean, file: ReturnType<typeof parseBlockFile>, row: BlockRow | undefined) {
  const current = row ? blockFields(row) : { value: '', description: null, limit: DEFAULT_BLOCK_LIMIT, readOnly: false, metadata: {} };
  const next = applyFile(current, file);
  if (next.readOnly !== current.readOnly) {
    throw new BlockFileError(`${path}: 'read_only' is set through the API, not by a push`);
  }
  if (row && current.readOnly && !sameFields(next, current)) {
    throw new BlockFileError(`${path}: the block is read-only; it can only be changed through the API`);
  }
  if (next.value.length > next.limit) {
    throw new BlockFileError(`${path}: value is ${next.value.length} characters, over the block's limit of ${next.limit}`);
  }
  const label = pathToBlock(path)?.label ?? '';
  if (!row) plan.creates.push({ label, next, attached });
  else if (!sameFields(next, current)) plan.updates.push({ row, next });
}
