// Ephemeral sleep-time agents for documents: when a file finishes processing in a folder attached to an agent with
// sleep-time on, a short-lived sleep-time agent (sharing the agent's blocks) reads the file, writes what it learned
// into those blocks, and is deleted with its own persona block.
import type { Logger } from 'pino';
import type { Actor } from '../actor.js';
import type { Db } from '../db/client.js';
import { DEFAULT_USER_ID } from '../ids.js';
import type { FileProcessedHook } from '../resources/folders/file-process.job.js';
import type { RunAgentTurn } from '../multi-agent/turn-runner.js';
import { findAgent } from '../resources/agents/agents.repo.js';
import type { AgentState, CreateAgent } from '../resources/agents/agents.schemas.js';
import { listAgentBlockRows } from '../memory/block-rows.js';
import { deleteBlockRow } from '../resources/blocks/blocks.repo.js';

/** Characters of the document the ephemeral agent reads (the rest is noted as left out). */
const MAX_DOC_CHARS = 50_000;

const DOC_PERSONA =
  "I read documents that were just added to another agent's folders and record in its memory blocks what that " +
  'agent should remember from them: key facts, names, dates, decisions, and where to look for details.';

function docReminder(fileName: string, content: string): string {
  const cut = content.length > MAX_DOC_CHARS;
  return [
    '<system-reminder>',
    'You are a background memory agent. A document was just added to the files of another agent (the primary).',
    'Read it and update the shared memory blocks with what the primary should know about it, then call',
    'memory_finish_edits. If nothing is worth remembering, call memory_finish_edits directly.',
    '</system-reminder>',
    '',
    `Document: ${fileName}`,
    '',
    cut ? `${content.slice(0, MAX_DOC_CHARS)}\n[… ${content.length - MAX_DOC_CHARS} more characters not shown]` : content,
  ].join('\n');
}

export type DocSleeptimeDeps = {
  db: Db;
  agents: { create(actor: Actor, req: CreateAgent): Promise<AgentState>; delete(actor: Actor, id: string): Promise<unknown> };
  runTurn: RunAgentTurn;
  log?: Logger;
};

export function createDocSleeptime(deps: DocSleeptimeDeps): FileProcessedHook {
  return async ({ orgId, file, agentIds }) => {
    const actor: Actor = { orgId, userId: DEFAULT_USER_ID };
    for (const id of agentIds) {
      const primary = await findAgent(deps.db, orgId, id);
      if (!primary?.enableSleeptime || !file.content) continue;
      const blocks = await listAgentBlockRows(deps.db, orgId, id);
      const reader = await deps.agents.create(actor, {
        name: `${primary.name}-doc-sleeptime`.slice(0, 300),
        agent_type: 'sleeptime_agent',
        llm_config: primary.llmConfig,
        embedding_config: (primary.embeddingConfig ?? null) as CreateAgent['embedding_config'],
        block_ids: blocks.filter((b) => b.label !== 'memory_persona').map((b) => b.id),
        memory_blocks: [{ label: 'memory_persona', value: DOC_PERSONA }],
        timezone: primary.timezone,
        hidden: true,
      });
      try {
        await deps.runTurn({
          actor,
          agentId: reader.id,
          input: [{ role: 'user', content: docReminder(file.fileName, file.content) }],
          maxSteps: 10,
          metadata: { run_type: 'sleeptime_document_ingest', file_id: file.id },
        });
      } finally {
        const own = (await listAgentBlockRows(deps.db, orgId, reader.id)).filter((b) => b.label === 'memory_persona');
        await deps.agents.delete(actor, reader.id);
        for (const b of own) await deleteBlockRow(deps.db, orgId, b.id);
      }
    }
  };
}
