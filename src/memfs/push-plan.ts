// What a pushed tree asks of the agent's blocks: updates, new attached blocks, detachments; or every reason to refuse.
import { DEFAULT_BLOCK_LIMIT } from '../resources/blocks/blocks.schemas.js';
import {
  applyFile,
  BlockFileError,
  labelToPath,
  parseBlockFile,
  pathToLabel,
  sameFields,
  SYSTEM_DIR,
  type BlockFields,
} from './block-files.js';
import { blockFields, type Snapshot } from './memfs-tree.js';
import type { BlockRow } from '../db/rows.js';

export type PushPlan = {
  updates: { row: BlockRow; next: BlockFields }[];
  creates: { label: string; next: BlockFields }[];
  detaches: BlockRow[];
};

/** Thrown with every problem of a push, one line each, each naming its file. */
export class PushRejected extends Error {}

const FILE_MODES = new Set(['100644', '100755']);

export function planPush(blocks: BlockRow[], after: Snapshot, maxFileBytes: number): PushPlan {
  const byLabel = new Map(blocks.filter((b) => labelToPath(b.label)).map((b) => [b.label, b]));
  const plan: PushPlan = { updates: [], creates: [], detaches: [] };
  const errors: string[] = [];
  for (const [path, entry] of after.files) {
    try {
      if (!FILE_MODES.has(entry.mode)) throw new BlockFileError(`${path}: only regular files are accepted (no symlinks or submodules)`);
      const label = pathToLabel(path);
      if (label === undefined) {
        if (path.startsWith(SYSTEM_DIR) && path.endsWith('.md')) throw new BlockFileError(`${path}: not a usable block label`);
        continue;
      }
      const blob = after.objects.get(entry.sha);
      if (!blob) throw new BlockFileError(`${path}: the pushed blob is missing`);
      if (blob.data.length > maxFileBytes)
        throw new BlockFileError(`${path}: ${blob.data.length} bytes, over the ${maxFileBytes}-byte limit of a block file`);
      planFile(plan, path, label, parseBlockFile(path, blob.data), byLabel.get(label));
    } catch (e) {
      if (!(e instanceof BlockFileError)) throw e;
      errors.push(e.message);
    }
  }
  for (const [label, row] of byLabel) {
    const path = labelToPath(label) ?? '';
    if (after.files.has(path)) continue;
    if (row.readOnly) errors.push(`${path}: the block is read-only; it can only be detached through the API`);
    else plan.detaches.push(row);
  }
  if (errors.length > 0) throw new PushRejected(errors.slice(0, 20).join('\n'));
  return plan;
}

function planFile(plan: PushPlan, path: string, label: string, file: ReturnType<typeof parseBlockFile>, row: BlockRow | undefined): void {
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
  if (!row) plan.creates.push({ label, next });
  else if (!sameFields(next, current)) plan.updates.push({ row, next });
}
