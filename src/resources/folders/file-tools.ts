// The three file tools an agent gets with a folder (open_files, grep_files, semantic_search_files): zod args, the
// stored tool rows, and their runs against the agent's file window. A model's mistake comes back as an error result.
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { newId } from '../../ids.js';
import type { MemoryDeps } from '../../memory/embedding.js';
import { toFunctionSchema } from '../../tools/tool.js';
import { upsertToolByName } from '../tools/tools.repo.js';
import { agentFolderConfigs, grepFiles, searchChunks } from './file-search.js';
import { fileLines } from './file-view.js';
import { openForAgent } from './file-window-ops.js';
import type { ToolRow } from '../../db/rows.js';

const OpenArgs = z.object({
  file_requests: z
    .array(
      z.object({
        file_name: z.string().max(1000).describe('Name of the file to open, as listed in <directories>'),
        offset: z.number().int().min(0).nullish().describe('First line to show (0-based); omit for the start'),
        length: z.number().int().min(1).nullish().describe('How many lines to show; omit for as many as fit'),
      }),
    )
    .min(1)
    .max(1000)
    .describe('Files to open, each with an optional line range'),
  close_all_others: z.boolean().default(false).describe('Close every other open file first'),
});
const GrepArgs = z.object({
  pattern: z.string().min(1).max(1000).describe('Regular expression (case-insensitive) to look for'),
  include: z.string().max(1000).nullish().describe('Optional regular expression the file name must match'),
  context_lines: z.number().int().min(0).max(20).default(1).describe('Lines of context around each match'),
  offset: z.number().int().min(0).nullish().describe('Skip this many matches (for paging)'),
});
const SearchArgs = z.object({
  query: z.string().min(1).max(10_000).describe('What to look for, in natural language'),
  limit: z.number().int().min(1).max(50).default(5).describe('How many passages to return'),
});

type Run = (deps: FileToolDeps, who: { orgId: string; agentId: string }, args: never) => Promise<string>;
type Def = { name: string; description: string; args: z.ZodObject; run: Run };

export type FileToolDeps = MemoryDeps;
const GREP_PAGE = 20;
const GREP_MAX_COLLECTED = 1000;

const DEFS: Def[] = [
  {
    name: 'open_files',
    description:
      'Open one or more attached files, optionally at a line range, so their lines appear in your context. ' +
      'Files beyond the open-file limit close, least recently used first.',
    args: OpenArgs,
    run: (async (deps, who, a: z.infer<typeof OpenArgs>) =>
      openForAgent(deps.db, who.orgId, who.agentId, a.file_requests, a.close_all_others)) as Run,
  },
  {
    name: 'grep_files',
    description: 'Search the lines of all attached files with a regular expression; returns matching lines with context, 20 at a time.',
    args: GrepArgs,
    run: (async (deps, who, a: z.infer<typeof GrepArgs>) => grepTool(deps.db, who, a)) as Run,
  },
  {
    name: 'semantic_search_files',
    description: 'Find the passages of attached files most related in meaning to a query.',
    args: SearchArgs,
    run: (async (deps, who, a: z.infer<typeof SearchArgs>) => semanticTool(deps, who, a)) as Run,
  },
];

const byName = new Map(DEFS.map((d) => [d.name, d]));

/** The file tools as rows of the organization (created or refreshed on first attach). */
export async function ensureFileTools(db: Db, orgId: string): Promise<ToolRow[]> {
  const out: ToolRow[] = [];
  for (const d of DEFS) {
    out.push(
      await upsertToolByName(db, {
        id: newId('tool'),
        organizationId: orgId,
        name: d.name,
        description: d.description,
        toolType: 'letta_files_core',
        sourceType: 'python',
        sourceCode: null,
        jsonSchema: toFunctionSchema(d.name, d.description, d.args) as Record<string, unknown>,
        returnCharLimit: 50_000,
        enableParallelExecution: false,
        tags: ['letta-builtin'],
      }),
    );
  }
  return out;
}

export type ToolResult = { status: 'success' | 'error'; value: unknown };

/** Runs a file tool; null when the tool is not one of them. */
export async function runFileTool(
  deps: FileToolDeps,
  tool: { name: string; toolType: string },
  raw: unknown,
  who: { orgId: string; agentId: string },
): Promise<ToolResult | null> {
  const def = tool.toolType === 'letta_files_core' ? byName.get(tool.name) : undefined;
  if (!def) return null;
  const parsed = def.args.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      status: 'error',
      value: `Invalid arguments for ${def.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')}`,
    };
  }
  try {
    return { status: 'success', value: await def.run(deps, who, parsed.data as never) };
  } catch (err) {
    return { status: 'error', value: err instanceof Error ? err.message : String(err) };
  }
}

function safeRegex(src: string, what: string): RegExp {
  try {
    return new RegExp(src, 'i');
  } catch (err) {
    throw new Error(`Invalid ${what} regular expression: ${(err as Error).message}`);
  }
}

async function touch(db: Db, agentId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return;
  await db.execute(sql`update agent_file_views set last_accessed_at = now() where agent_id = ${agentId}
    and file_id in (${sql.join(
      fileIds.map((f) => sql`${f}`),
      sql`, `,
    )})`);
}

async function grepTool(db: Db, who: { orgId: string; agentId: string }, a: z.infer<typeof GrepArgs>): Promise<string> {
  const re = safeRegex(a.pattern, 'pattern');
  const include = a.include ? safeRegex(a.include, 'include') : null;
  const files = (
    await queryRows<{ file_id: string; file_name: string; file_type: string | null; content: string | null }>(
      db,
      sql`select v.file_id, f.file_name, f.file_type, f.content
    from agent_file_views v join folder_files f on f.id = v.file_id where v.agent_id = ${who.agentId} and v.organization_id = ${who.orgId}
    and f.content is not null order by f.file_name`,
    )
  ).filter(
    (f) => !include || grepFiles([{ fileId: f.file_id, fileName: '', content: f.file_name }], include, 0, 1, 100).matches.length > 0,
  );
  // Line numbers as in the file window (the lines open_files shows).
  const res = grepFiles(
    files.map((f) => ({
      fileId: f.file_id,
      fileName: f.file_name,
      content: fileLines(f.content ?? '', f.file_type, f.file_name).join('\n'),
    })),
    re,
    a.context_lines,
    GREP_MAX_COLLECTED,
  );
  await touch(
    db,
    who.agentId,
    files.filter((f) => res.perFile.has(f.file_name)).map((f) => f.file_id),
  );
  const total = [...res.perFile.values()].reduce((x, y) => x + y, 0);
  if (total === 0) return `No matches found for pattern: '${a.pattern}'${res.stopped ? ` (search stopped early: ${res.stopped})` : ''}`;
  const offset = a.offset ?? 0;
  const page = res.matches.slice(offset, offset + GREP_PAGE);
  const lines = [
    `Found ${total} total matches across ${res.perFile.size} files (showing matches ${offset + 1}-${offset + page.length} of ${Math.min(total, res.matches.length)})`,
  ];
  if (res.stopped) lines.push(`Note: the search stopped early (${res.stopped}); results may be incomplete.`);
  lines.push('', 'Matches per file:', ...[...res.perFile].map(([n, c]) => `- ${n}: ${c}`), '');
  for (const m of page) lines.push(`=== ${m.fileName}:${m.line} ===`, ...m.context, '');
  if (offset + page.length < res.matches.length) lines.push(`More matches: call grep_files again with offset=${offset + page.length}.`);
  return lines.join('\n').trimEnd();
}

async function semanticTool(deps: FileToolDeps, who: { orgId: string; agentId: string }, a: z.infer<typeof SearchArgs>): Promise<string> {
  const folders = await agentFolderConfigs(deps.db, who.orgId, who.agentId);
  const hits = await searchChunks(deps, who.orgId, folders, a.query, a.limit);
  if (hits.length === 0) return `No semantic matches found for query: '${a.query}'`;
  await touch(deps.db, who.agentId, [...new Set(hits.map((h) => h.fileId))]);
  const files = new Set(hits.map((h) => h.fileName)).size;
  const out = [`Found ${hits.length} semantic matches in ${files} files for query: '${a.query}'`, ''];
  for (const h of hits) out.push(`=== ${h.fileName} (passage #${h.chunkIndex + 1}) ===`, h.text.split('\n').slice(0, 20).join('\n'), '');
  return out.join('\n').trimEnd();
}

type Exec<T, C> = (tool: T, args: Record<string, unknown>, ctx: C) => Promise<{ status: 'success' | 'error'; value: unknown }>;

/** Wraps the loop's external-tool executor so the file tools run here and every other tool goes on as before. */
export function withFileTools<T extends { name: string; toolType: string }, C extends { actor: { orgId: string }; agentId: string }>(
  deps: FileToolDeps,
  next: Exec<T, C>,
): Exec<T, C> {
  return async (tool, args, ctx) =>
    (await runFileTool(deps, tool, args, { orgId: ctx.actor.orgId, agentId: ctx.agentId })) ?? next(tool, args, ctx);
}
