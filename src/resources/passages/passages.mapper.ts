import type { EmbeddingConfig } from '../agents/agents.schemas.js';
import type { Passage } from './passages.schemas.js';
import type { PassageRow } from '../../db/rows.js';
import type { RawPassage } from '../../memory/passage-search.js';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function toPassage(r: Omit<PassageRow, 'embedding' | 'tsv'>): Passage {
  return {
    id: r.id,
    text: r.text,
    embedding: null,
    embedding_config: (r.embeddingConfig ?? null) as EmbeddingConfig | null,
    archive_id: r.archiveId,
    source_id: r.sourceId,
    file_id: r.fileId,
    file_name: r.fileName,
    metadata: r.metadata ?? {},
    tags: r.tags ?? [],
    is_deleted: false,
    organization_id: r.organizationId,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    created_by_id: null,
    last_updated_by_id: null,
  };
}

export function rawToPassage(r: RawPassage): Passage {
  return {
    id: r.id,
    text: r.text,
    embedding: null,
    embedding_config: (r.embedding_config ?? null) as EmbeddingConfig | null,
    archive_id: r.archive_id,
    source_id: r.source_id,
    file_id: r.file_id,
    file_name: r.file_name,
    metadata: r.metadata ?? {},
    tags: r.tags ?? [],
    is_deleted: false,
    organization_id: r.organization_id,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    created_by_id: null,
    last_updated_by_id: null,
  };
}
