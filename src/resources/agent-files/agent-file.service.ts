// Agent file use cases: export one agent, import a file (see letta-api.md §5).
import type { Logger } from 'pino';
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import type { ModelCatalog } from '../models/catalog.js';
import { importError } from './agent-file.errors.js';
import { buildAgentFile, rejectLegacyExport } from './agent-file.export.js';
import { importAgentFile, type ImportResult } from './agent-file.import.js';
import { importOptionsFrom, parseAgentFileData, parseAgentFileText, type ImportForm } from './agent-file.parse.js';
import type { AgentFile, ExportOptions } from './agent-file.schemas.js';

export type AgentFilesDeps = {
  db: Db;
  models: ModelCatalog;
  defaultModel?: string;
  defaultEmbedding?: string;
  /** Written to metadata.revision_id: which server build wrote the file. */
  revisionId: string;
  now?: () => Date;
  /** Import progress lines and server-side failures. */
  log?: Logger;
};

/** The uploaded file as text (multipart), or as the JSON value a raw JSON body already parsed to. */
export type ImportRequest = {
  file: { text: string } | { data: unknown };
  form: ImportForm;
  headers: { embedding?: string; projectId?: string };
};

export function createAgentFilesService(deps: AgentFilesDeps) {
  return {
    async export(actor: Actor, agentId: string, opts: ExportOptions & { useLegacyFormat?: boolean }): Promise<Record<string, unknown>> {
      rejectLegacyExport(opts.useLegacyFormat);
      return buildAgentFile(deps, actor, agentId, opts);
    },
    async import(actor: Actor, req: ImportRequest): Promise<ImportResult> {
      try {
        const opts = importOptionsFrom(req.form, req.headers);
        const file = 'text' in req.file ? parseAgentFileText(req.file.text) : parseAgentFileData(req.file.data);
        const started = Date.now();
        const log = deps.log?.child({ orgId: actor.orgId });
        log?.info(fileCounts(file), 'agent import started');
        const result = await importAgentFile(deps, actor, file, opts);
        log?.info({ agentIds: result.agent_ids, ms: Date.now() - started }, 'agent import done');
        return result;
      } catch (e) {
        // An outage leaves as it is: the error handler answers 503 and the caller retries.
        if (isDatabaseUnavailable(e)) throw e;
        throw importError(e, deps.log);
      }
    },
  };
}

/** What an agent file holds, for the import's first log line. */
function fileCounts(file: AgentFile) {
  const messages = file.agents.reduce((n, a) => n + (a.messages?.length ?? 0), 0);
  return { agents: file.agents.length, blocks: file.blocks?.length ?? 0, tools: file.tools?.length ?? 0, messages };
}

export type AgentFilesService = ReturnType<typeof createAgentFilesService>;
