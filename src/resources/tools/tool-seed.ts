// Stores the built-in tools as rows of the organization, so agents can attach them by name or id.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { newId } from '../../ids.js';
import { upsertToolByName } from './tools.repo.js';
import { BUILTIN_TOOLS } from '../../tools/builtin/registry.js';

export async function seedBuiltinTools(db: Db, orgId: string): Promise<void> {
  for (const t of BUILTIN_TOOLS) {
    await upsertToolByName(db, {
      id: newId('tool'),
      organizationId: orgId,
      name: t.name,
      description: t.description,
      toolType: t.toolType,
      sourceType: 'python',
      sourceCode: null,
      jsonSchema: t.jsonSchema as Record<string, unknown>,
      returnCharLimit: t.returnCharLimit,
      enableParallelExecution: t.parallelSafe,
      tags: ['letta-builtin'],
    });
  }
}

/**
 * At start-up: the built-in tools of every organization in one statement, however many tools and organizations there
 * are (a release may add or change a tool). Rows already up to date are left alone, so a restart writes nothing.
 */
export async function seedBuiltinToolsForAllOrgs(db: Db): Promise<void> {
  const rows = BUILTIN_TOOLS.map((t) => ({
    name: t.name,
    description: t.description,
    tool_type: t.toolType,
    json_schema: t.jsonSchema,
    return_char_limit: t.returnCharLimit,
    enable_parallel_execution: t.parallelSafe,
  }));
  await db.execute(sql`
    INSERT INTO tools AS cur (id, organization_id, name, description, tool_type, source_type, source_code, json_schema,
      return_char_limit, enable_parallel_execution, tags)
    SELECT 'tool-' || gen_random_uuid(), o.id, t.name, t.description, t.tool_type, 'python', NULL, t.json_schema,
      t.return_char_limit, t.enable_parallel_execution, ARRAY['letta-builtin']
    FROM organizations o
    CROSS JOIN jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t(name text, description text, tool_type text,
      json_schema jsonb, return_char_limit integer, enable_parallel_execution boolean)
    ON CONFLICT (organization_id, name) DO UPDATE SET description = excluded.description, tool_type = excluded.tool_type,
      source_type = excluded.source_type, source_code = excluded.source_code, json_schema = excluded.json_schema,
      return_char_limit = excluded.return_char_limit, enable_parallel_execution = excluded.enable_parallel_execution,
      tags = excluded.tags, updated_at = now()
    WHERE (cur.description, cur.tool_type, cur.source_type, cur.source_code, cur.json_schema, cur.return_char_limit,
        cur.enable_parallel_execution, cur.tags)
      IS DISTINCT FROM (excluded.description, excluded.tool_type, excluded.source_type, excluded.source_code,
        excluded.json_schema, excluded.return_char_limit, excluded.enable_parallel_execution, excluded.tags)`);
}
