// Reading a commit's files from the database, and the files the agent's blocks should be (API edits → a new tree).
import type { Db } from '../db/client.js';
import {
  applyFile,
  BlockFileError,
  detachedPath,
  labelToPath,
  parseBlockFile,
  pathToBlock,
  renderBlock,
  sameFields,
  type BlockFields,
} from './block-files.js';
import { decodeCommit, decodeTree, flattenTree, makeObject, type FileMap, type GitObject } from './git-objects.js';
import { getObjects } from './memfs.repo.js';
import type { BlockRow } from '../db/rows.js';

export type Snapshot = { files: FileMap; objects: Map<string, GitObject> };
/** The blocks an agent's repository shows: attached under `system/`, owned detached ones elsewhere. */
export type AgentBlocks = { attached: BlockRow[]; detached: BlockRow[] };

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({ files: new Map(), objects: new Map() });

/** Loads a commit's tree (and the blobs of its block files) from `extra` and the database. */
export async function loadSnapshot(
  db: Db,
  agentId: string,
  commitSha: string,
  maxFiles: number,
  extra?: Map<string, GitObject>,
): Promise<Snapshot> {
  const objects = new Map(extra ?? []);
  const need = async (shas: string[]) => {
    const missing = shas.filter((s) => !objects.has(s));
    for (const [sha, o] of await getObjects(db, agentId, missing)) objects.set(sha, o);
  };
  await need([commitSha]);
  const commit = objects.get(commitSha);
  if (commit?.type !== 'commit') throw new BlockFileError(`commit ${commitSha} is missing`);
  let level = [decodeCommit(commit.data).tree];
  for (let depth = 0; level.length > 0 && depth <= 32; depth++) {
    await need(level);
    level = level.flatMap((sha) => {
      const tree = objects.get(sha);
      return tree?.type === 'tree'
        ? decodeTree(tree.data)
            .filter((e) => e.mode === '40000')
            .map((e) => e.sha)
        : [];
    });
    if (objects.size > maxFiles * 4) throw new BlockFileError(`the repository holds more than ${maxFiles} files`);
  }
  const files = flattenTree(decodeCommit(commit.data).tree, (s) => objects.get(s), maxFiles);
  await need([...files].filter(([path]) => pathToBlock(path) !== undefined).map(([, f]) => f.sha));
  return { files, objects };
}

export function blockFields(b: BlockRow): BlockFields {
  return { value: b.value, description: b.description, limit: b.limit, readOnly: b.readOnly, metadata: b.metadata ?? {} };
}

const BLANK: BlockFields = { value: '', description: null, limit: 0, readOnly: false, metadata: {} };

/** What a stored file says about its block, reading absent keys as their defaults; undefined if it does not parse. */
function fileFields(path: string, blob: GitObject | undefined, limit: number): BlockFields | undefined {
  if (!blob) return undefined;
  try {
    return applyFile({ ...BLANK, limit }, parseBlockFile(path, blob.data));
  } catch {
    return undefined;
  }
}

/**
 * The tree the agent's blocks make, keeping every other file of `base` as it is and every block file whose content
 * already says what the block holds (so formatting a client chose survives). `changed` lists paths that differ.
 */
export function filesFromBlocks(blocks: AgentBlocks, base: Snapshot): { files: FileMap; blobs: GitObject[]; changed: string[] } {
  const files: FileMap = new Map([...base.files].filter(([path]) => pathToBlock(path) === undefined));
  const blobs: GitObject[] = [];
  const placed = [
    ...blocks.attached.map((b) => ({ b, path: labelToPath(b.label) })),
    ...blocks.detached.map((b) => ({ b, path: detachedPath(b.label) })),
  ];
  for (const { b, path } of placed) {
    if (!path || files.has(path)) continue;
    const kept = base.files.get(path);
    const fields = blockFields(b);
    const said = kept && fileFields(path, base.objects.get(kept.sha), b.limit);
    if (kept && said && sameFields(said, fields)) {
      files.set(path, kept);
      continue;
    }
    const blob = makeObject('blob', Buffer.from(renderBlock(b.label, fields)));
    blobs.push(blob);
    files.set(path, { sha: blob.sha, mode: '100644' });
  }
  const paths = new Set([...files.keys(), ...base.files.keys()]);
  const changed = [...paths].filter((p) => files.get(p)?.sha !== base.files.get(p)?.sha).sort();
  return { files, blobs, changed };
}
