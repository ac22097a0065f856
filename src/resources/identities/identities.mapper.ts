import type { IdentityLinks } from './identities.repo.js';
import type { Identity, IdentityProperty } from './identities.schemas.js';
import type { IdentityRow } from '../../db/rows.js';

export function toIdentity(r: IdentityRow, links: IdentityLinks): Identity {
  return {
    id: r.id,
    identifier_key: r.identifierKey,
    name: r.name,
    identity_type: r.identityType as Identity['identity_type'],
    project_id: r.projectId,
    agent_ids: links.agentIds,
    block_ids: links.blockIds,
    properties: r.properties as IdentityProperty[],
  };
}
