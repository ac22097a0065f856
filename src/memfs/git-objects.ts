// Git's object encoding (blob, tree, commit) for the commits the server writes itself, and tree reading for pushes.
import { createHash } from 'node:crypto';

export type GitObjectType = 'blob' | 'tree' | 'commit';
export type GitObject = { sha: string; type: GitObjectType; data: Buffer };
export type TreeEntry = { mode: string; name: string; sha: string };

export function hashObject(type: GitObjectType, data: Buffer): string {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');
}

export function makeObject(type: GitObjectType, data: Buffer): GitObject {
  return { sha: hashObject(type, data), type, data };
}

/** Git orders tree entries by name, comparing a directory's name as if it ended in '/'. */
function sortKey(e: TreeEntry): string {
  return e.mode === '40000' ? `${e.name}/` : e.name;
}

function encodeTree(entries: TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]));
}

export function decodeTree(data: Buffer): TreeEntry[] {
  const out: TreeEntry[] = [];
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error('malformed tree object');
    out.push({
      mode: data.toString('latin1', i, space),
      name: data.toString('utf8', space + 1, nul),
      sha: data.toString('hex', nul + 1, nul + 21),
    });
    i = nul + 21;
  }
  return out;
}

export type CommitInput = { tree: string; parents: string[]; author: string; message: string; time: Date };

export function encodeCommit(c: CommitInput): Buffer {
  const stamp = `${c.author} ${Math.floor(c.time.getTime() / 1000)} +0000`;
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${stamp}`, `committer ${stamp}`];
  return Buffer.from(`${lines.join('\n')}\n\n${c.message.trimEnd()}\n`);
}

/** The tree sha and parents of a commit object. */
export function decodeCommit(data: Buffer): { tree: string; parents: string[] } {
  const header = data.toString('utf8', 0, Math.max(0, data.indexOf('\n\n')));
  const tree = /^tree ([0-9a-f]{40})$/m.exec(header)?.[1];
  if (!tree) throw new Error('malformed commit object');
  return { tree, parents: [...header.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1] ?? '') };
}

export type FileMap = Map<string, { sha: string; mode: string }>;

/** Flattens a tree into path → blob; submodules and symlinks are reported by mode for the caller to refuse. */
export function flattenTree(rootSha: string, get: (sha: string) => GitObject | undefined, maxEntries: number): FileMap {
  const files: FileMap = new Map();
  const walk = (sha: string, prefix: string, depth: number) => {
    const obj = get(sha);
    if (obj?.type !== 'tree') throw new Error(`tree ${sha} is missing`);
    if (depth > 32) throw new Error('directories are nested too deeply');
    for (const e of decodeTree(obj.data)) {
      const path = prefix + e.name;
      if (e.mode === '40000') walk(e.sha, `${path}/`, depth + 1);
      else files.set(path, { sha: e.sha, mode: e.mode });
      if (files.size > maxEntries) throw new Error(`the repository holds more than ${maxEntries} files`);
    }
  };
  walk(rootSha, '', 0);
  return files;
}

/** Builds nested tree objects for path → blob; returns the root tree sha and every tree object made. */
export function buildTree(files: FileMap): { root: string; trees: GitObject[] } {
  const trees: GitObject[] = [];
  type Dir = { files: Map<string, { sha: string; mode: string }>; dirs: Map<string, Dir> };
  const top: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, blob] of files) {
    const parts = path.split('/');
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        dir.dirs.set(part, next);
      }
      dir = next;
    }
    dir.files.set(parts[parts.length - 1] ?? '', blob);
  }
  const emit = (d: Dir): string => {
    const entries: TreeEntry[] = [...d.files].map(([name, b]) => ({ mode: b.mode, name, sha: b.sha }));
    for (const [name, sub] of d.dirs) entries.push({ mode: '40000', name, sha: emit(sub) });
    const obj = makeObject('tree', encodeTree(entries));
    trees.push(obj);
    return obj.sha;
  };
  return { root: emit(top), trees };
}
