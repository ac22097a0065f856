// Searching an agent's files: semantic (the archival hybrid engine over `file_chunks`) and grep (bounded regex).
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { embedQuery, type MemoryDeps } from '../../memory/embedding.js';
import { hybridSearch } from '../../memory/hybrid-search.js';

export type ChunkHit = { fileId: string; fileName: string; chunkIndex: number; text: string; score: number };

/** Hybrid search over the chunks of the given folders (all of one organization). */
export async function searchChunks(
  deps: MemoryDeps,
  orgId: string,
  folderIds: { id: string; embeddingConfig: Record<string, unknown> }[],
  query: string,
  limit: number,
): Promise<ChunkHit[]> {
  if (folderIds.length === 0 || query.trim() === '') return [];
  const vec = await embedQuery(deps.embedderFor, folderIds[0]!.embeddingConfig, query);
  const ids = sql.join(
    folderIds.map((f) => sql`${f.id}`),
    sql`, `,
  );
  const rows = await hybridSearch(deps.db, {
    table: 'file_chunks',
    scope: sql`t.organization_id = ${orgId} and t.folder_id in (${ids})`,
    filters: [],
    columns: sql.raw('t.file_id, t.file_name, t.chunk_index, t.text'),
    text: query,
    vector: vec ? { values: vec, dim: vec.length } : null,
    limit,
  });
  return rows.map((r) => ({
    fileId: String(r.file_id),
    fileName: String(r.file_name),
    chunkIndex: Number(r.chunk_index),
    text: String(r.text),
    score: Number(r.rrf_score),
  }));
}

/** Upper bounds of one grep: characters scanned in total, and wall time. */
const GREP_MAX_SCAN_CHARS = 200_000_000;
const GREP_MAX_MS = 5_000;
const GREP_MAX_LINE = 2_000;

export type GrepFile = { fileId: string; fileName: string; content: string };
type GrepMatch = { fileName: string; line: number; context: string[] };
export type GrepResult = { matches: GrepMatch[]; perFile: Map<string, number>; stopped: string | null };

/**
 * Line-by-line regex search under a hard time bound: the scan runs inside a vm script with a timeout, which V8
 * enforces even inside one backtracking regex match (a catastrophic pattern is stopped, not waited for). Lines are
 * tested up to GREP_MAX_LINE characters and the total scanned is capped; results found before a stop are kept.
 */
export function grepFiles(files: GrepFile[], re: RegExp, contextLines: number, maxMatches: number, timeoutMs = GREP_MAX_MS): GrepResult {
  const out: GrepResult = { matches: [], perFile: new Map(), stopped: null };
  const ctx = vm.createContext({ run: () => scan(files, re, contextLines, maxMatches, out) });
  try {
    RUN.runInContext(ctx, { timeout: timeoutMs });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
    out.stopped = 'time budget reached';
  }
  return out;
}

const RUN = new vm.Script('run()');

function scan(files: GrepFile[], re: RegExp, contextLines: number, maxMatches: number, out: GrepResult): void {
  let scanned = 0;
  for (const f of files) {
    const lines = f.content.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.slice(0, GREP_MAX_LINE);
      scanned += line.length;
      if (scanned > GREP_MAX_SCAN_CHARS) {
        out.stopped = 'size budget reached';
        return;
      }
      re.lastIndex = 0;
      if (!re.test(line)) continue;
      out.perFile.set(f.fileName, (out.perFile.get(f.fileName) ?? 0) + 1);
      if (out.matches.length >= maxMatches) continue;
      const ctx: string[] = [];
      for (let j = Math.max(0, i - contextLines); j <= Math.min(lines.length - 1, i + contextLines); j++) {
        ctx.push(`${j === i ? '>' : ' '} ${j + 1}: ${lines[j]!.slice(0, 500)}`);
      }
      out.matches.push({ fileName: f.fileName, line: i + 1, context: ctx });
    }
  }
}

export async function agentFolderConfigs(
  db: Db,
  orgId: string,
  agentId: string,
): Promise<{ id: string; embeddingConfig: Record<string, unknown> }[]> {
  const rows = await queryRows<{ id: string; embedding_config: Record<string, unknown> }>(
    db,
    sql`select f.id, f.embedding_config from agent_folders af
    join folders f on f.id = af.folder_id where af.agent_id = ${agentId} and f.organization_id = ${orgId} order by f.name`,
  );
  return rows.map((r) => ({ id: r.id, embeddingConfig: r.embedding_config }));
}
