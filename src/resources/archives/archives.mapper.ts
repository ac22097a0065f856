import type { EmbeddingConfig } from '../agents/agents.schemas.js';
import type { Archive } from './archives.schemas.js';
import type { ArchiveRow } from '../../db/rows.js';

export function toArchive(r: ArchiveRow): Archive {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    vector_db_provider: r.vectorDbProvider as Archive['vector_db_provider'],
    embedding_config: (r.embeddingConfig ?? null) as EmbeddingConfig | null,
    metadata: r.metadata,
    organization_id: r.organizationId,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    created_by_id: null,
    last_updated_by_id: null,
  };
}
