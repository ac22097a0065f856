import type { Group } from './groups.schemas.js';
import type { GroupRow } from '../../db/rows.js';

export type GroupLinks = { agentIds: string[]; blockIds: string[] };

export function toGroup(r: GroupRow, links: GroupLinks): Group {
  const extras = r.extras as { template_id?: string; base_template_id?: string; deployment_id?: string };
  return {
    id: r.id,
    manager_type: r.managerType as Group['manager_type'],
    agent_ids: links.agentIds,
    description: r.description ?? '',
    project_id: r.projectId,
    template_id: extras.template_id ?? null,
    base_template_id: extras.base_template_id ?? null,
    deployment_id: extras.deployment_id ?? null,
    shared_block_ids: links.blockIds,
    manager_agent_id: r.managerAgentId,
    termination_token: r.terminationToken,
    max_turns: r.maxTurns,
    sleeptime_agent_frequency: r.sleeptimeAgentFrequency,
    turns_counter: r.turnsCounter,
    last_processed_message_id: r.lastProcessedMessageId,
    max_message_buffer_length: r.maxMessageBufferLength,
    min_message_buffer_length: r.minMessageBufferLength,
    hidden: r.hidden,
  };
}
