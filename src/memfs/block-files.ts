// A block as a Markdown file with YAML frontmatter, and the repository paths that hold blocks:
// `system/<label>.md` is a block attached to the agent (the path below `system/` is the label, `/` nests);
// `<label>.md` elsewhere is a block the agent owns but has detached (not `skills/`: skills keep their own format).
import { parseDocument, stringify } from 'yaml';
import { hostileTextProblem } from '../text/hostile-text.js';

export const SYSTEM_DIR = 'system/';
const MAX_LABEL = 200;
const MAX_LIMIT = 10_000_000;
const KEYS = new Set(['description', 'limit', 'read_only', 'metadata']);
/** Letta Code gives external (detached) memory files a `name`; accepted there and not stored (the path names it). */
const DETACHED_KEYS = new Set([...KEYS, 'name']);
const NOT_DETACHED = new Set(['system', 'skills']);

/** The block fields a file carries. Absent frontmatter keys are undefined: the push keeps the block's value. */
export type BlockFile = {
  value: string;
  description?: string | null;
  limit?: number;
  readOnly?: boolean;
  metadata?: Record<string, unknown>;
};

export type BlockFields = {
  value: string;
  description: string | null;
  limit: number;
  readOnly: boolean;
  metadata: Record<string, unknown>;
};

/** Thrown for a file the server will not take; the message names the file. */
export class BlockFileError extends Error {}

export function labelToPath(label: string): string | undefined {
  const segments = label.split('/');
  if (label.length > MAX_LABEL || segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return undefined;
  return `${SYSTEM_DIR}${label}.md`;
}

/** The label an attached block's path holds, or undefined when the path is not under `system/`. */
export function pathToLabel(path: string): string | undefined {
  if (!path.startsWith(SYSTEM_DIR) || !path.endsWith('.md')) return undefined;
  const label = path.slice(SYSTEM_DIR.length, -3);
  return labelToPath(label) === path ? label : undefined;
}

/** Where a detached block lives: `<label>.md`, or undefined for labels that cannot sit outside `system/`. */
export function detachedPath(label: string): string | undefined {
  if (!labelToPath(label) || NOT_DETACHED.has(label.split('/')[0] ?? '')) return undefined;
  return `${label}.md`;
}

/** The block a path holds (attached under `system/`, detached elsewhere), or undefined for a plain file. */
export function pathToBlock(path: string): { label: string; attached: boolean } | undefined {
  const attached = pathToLabel(path);
  if (attached !== undefined) return { label: attached, attached: true };
  if (!path.endsWith('.md')) return undefined;
  const label = path.slice(0, -3);
  return detachedPath(label) === path ? { label, attached: false } : undefined;
}

/** Letta Code edits only files with a non-empty description, so a block without one gets a stand-in (read as none). */
function standIn(label: string): string {
  return `The ${label} memory block`;
}

export function renderBlock(label: string, b: BlockFields): string {
  const front: Record<string, unknown> = { description: b.description ?? standIn(label) };
  front.limit = b.limit;
  if (b.readOnly) front.read_only = true;
  if (Object.keys(b.metadata).length > 0) front.metadata = b.metadata;
  return `---\n${stringify(front)}---\n${b.value}`;
}

export function parseBlockFile(path: string, bytes: Buffer): BlockFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BlockFileError(`${path}: not valid UTF-8 text`);
  }
  const hostile = hostileTextProblem(text);
  if (hostile) throw new BlockFileError(`${path}: ${hostile}`);
  if (!text.startsWith('---\n')) return { value: text };
  const end = text.indexOf('\n---\n', 3) >= 0 ? text.indexOf('\n---\n', 3) : text.endsWith('\n---') ? text.length - 4 : -1;
  if (end < 0) throw new BlockFileError(`${path}: frontmatter opened with --- but never closed`);
  const front = readYaml(path, text.slice(4, end + 1));
  if (typeof front !== 'object' || Array.isArray(front) || front === null)
    throw new BlockFileError(`${path}: frontmatter must be a mapping of keys`);
  const block = pathToBlock(path);
  const fields = frontFields(path, front, block?.attached === false ? DETACHED_KEYS : KEYS);
  if (block && fields.description === standIn(block.label)) fields.description = null;
  return { value: text.slice(end + 5), ...fields };
}

function readYaml(path: string, source: string): unknown {
  const doc = parseDocument(source, { uniqueKeys: true });
  const problem = doc.errors[0]?.message.split('\n')[0];
  if (problem) throw new BlockFileError(`${path}: frontmatter is not valid YAML (${problem})`);
  try {
    return doc.toJS({ maxAliasCount: 0 }) ?? {};
  } catch {
    throw new BlockFileError(`${path}: frontmatter may not use YAML aliases`);
  }
}

function frontFields(path: string, front: object, keys: Set<string>): Omit<BlockFile, 'value'> {
  const out: Omit<BlockFile, 'value'> = {};
  for (const [key, v] of Object.entries(front)) {
    if (!keys.has(key)) throw new BlockFileError(`${path}: unknown frontmatter key '${key}' (allowed: ${[...keys].join(', ')})`);
    if (key === 'name') {
      if (typeof v !== 'string') throw new BlockFileError(`${path}: 'name' must be text`);
    } else if (key === 'description') {
      if (v !== null && typeof v !== 'string') throw new BlockFileError(`${path}: 'description' must be text`);
      out.description = v === '' ? null : v;
    } else if (key === 'limit') {
      if (!Number.isInteger(v) || v < 1 || v > MAX_LIMIT)
        throw new BlockFileError(`${path}: 'limit' must be a whole number from 1 to ${MAX_LIMIT}`);
      out.limit = v;
    } else if (key === 'read_only') {
      if (typeof v !== 'boolean') throw new BlockFileError(`${path}: 'read_only' must be true or false`);
      out.readOnly = v;
    } else {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BlockFileError(`${path}: 'metadata' must be a mapping`);
      out.metadata = { ...v };
    }
  }
  return out;
}

/** A file applied to a block's current fields (a new block starts from `base`). */
export function applyFile(base: BlockFields, f: BlockFile): BlockFields {
  return {
    value: f.value,
    description: f.description === undefined ? base.description : f.description,
    limit: f.limit ?? base.limit,
    readOnly: f.readOnly ?? base.readOnly,
    metadata: f.metadata ?? base.metadata,
  };
}

export function sameFields(a: BlockFields, b: BlockFields): boolean {
  return (
    a.value === b.value &&
    a.description === b.description &&
    a.limit === b.limit &&
    a.readOnly === b.readOnly &&
    JSON.stringify(a.metadata) === JSON.stringify(b.metadata)
  );
}
