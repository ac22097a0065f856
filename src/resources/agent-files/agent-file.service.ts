// Agent file use cases: export one agent, import a file (see letta-api.md §5).
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import type { ModelCatalog } from '../models/catalog.js';
import { buildAgentFile, rejectLegacyExport } from './agent-file.export.js';
import { importAgentFile, type ImportResult } from './agent-file.import.js';
import { importOptionsFrom, parseAgentFileText, type ImportForm } from './agent-file.parse.js';
import type { ExportOptions } from './agent-file.schemas.js';

export type AgentFilesDeps = {
  db: Db;
  models: ModelCatalog;
  defaultModel?: string;
  defaultEmbedding?: string;
  /** Written to metadata.revision_id: which server build wrote the file. */
  revisionId: string;
  now?: () => Date;
};

export type ImportRequest = { fileText: string; form: ImportForm; headers: { embedding?: string; projectId?: string } };

export function createAgentFilesService(deps: AgentFilesDeps) {
  return {
    async export(actor: Actor, agentId: string, opts: ExportOptions & { useLegacyFormat?: boolean }): Promise<Record<string, unknown>> {
      rejectLegacyExport(opts.useLegacyFormat);
      return buildAgentFile(deps, actor, agentId, opts);
    },
    async import(actor: Actor, req: ImportRequest): Promise<ImportResult> {
      const opts = importOptionsFrom(req.form, req.headers);
      const file = parseAgentFileText(req.fileText);
      return importAgentFile(deps, actor, file, opts);
    },
  };
}

export type AgentFilesService = ReturnType<typeof createAgentFilesService>;
