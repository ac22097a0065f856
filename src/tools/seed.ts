// Stores the built-in tools as rows of the organization, so agents can attach them by name or id.
import type { Db } from '../db/client.js';
import { newId } from '../ids.js';
import { upsertToolByName } from '../resources/tools/tools.repo.js';
import { BUILTIN_TOOLS } from './builtin/registry.js';

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
