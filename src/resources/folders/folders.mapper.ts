// Rows of folders and files → wire objects.
import type { folderFiles, folders } from '../../db/schema/index.js';
import type { EmbeddingConfig } from '../agents/agents.schemas.js';
import type { FileMetadata, Folder, ProcessingStatus } from './folders.schemas.js';

export type FolderRow = typeof folders.$inferSelect;
export type FileRow = typeof folderFiles.$inferSelect;

export function toFolder(r: FolderRow): Folder {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    instructions: r.instructions,
    metadata: r.metadata ?? null,
    // Stored configs were validated by the same schema on the way in.
    embedding_config: r.embeddingConfig as EmbeddingConfig,
    vector_db_provider: 'native',
    organization_id: r.organizationId,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    created_by_id: null,
    last_updated_by_id: null,
  };
}

export function toFileMetadata(r: FileRow, includeContent = false): FileMetadata {
  return {
    id: r.id,
    source_id: r.folderId,
    organization_id: r.organizationId,
    file_name: r.fileName,
    original_file_name: r.originalFileName,
    file_path: null,
    file_type: r.fileType,
    file_size: r.fileSize,
    file_creation_date: null,
    file_last_modified_date: null,
    processing_status: r.processingStatus as ProcessingStatus,
    error_message: r.errorMessage,
    total_chunks: r.totalChunks,
    chunks_embedded: r.chunksEmbedded,
    ...(includeContent ? { content: r.content } : {}),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
