// Processing an uploaded file (queue `file-process`): parse → put it in attached agents' windows → chunk and embed
// into `file_chunks`, with processing_status, total_chunks and chunks_embedded kept current. A crash mid-way is
// retried by the queue from the stored bytes; chunks of an earlier attempt are replaced.
import { eq } from 'drizzle-orm';
import { fileChunks } from '../../db/schema/index.js';
import { ensureVectorIndex } from '../../db/vector-index.js';
import { newId } from '../../ids.js';
import { splitIntoPassages } from '../../memory/chunking.js';
import { chunkCharLimit, embedTexts, type MemoryDeps } from '../../memory/embedding.js';
import { extractText } from './file-parse.js';
import { kindOf } from './file-types.js';
import { addFileToAttachedAgents } from './file-window.js';
import { deleteBlobs, readBlobs } from './folder-blobs.js';
import type { FileRow, FolderRow } from './folders.mapper.js';
import { findFile, findFolder, updateFileRow } from './folders.repo.js';
import type { NewJob } from '../../jobs/jobs.repo.js';
import type { JobHandler } from '../../jobs/queue.js';
import { startProgress } from '../../log-progress.js';

export const FILE_PROCESS_QUEUE = 'file-process';
/** Chunks per embedding round and per INSERT (the embedding client splits a round by the config's batch_size). */
const STORE_BATCH = 256;

export type FileProcessPayload = { fileId: string; orgId: string };
/** Called after a file completed (e.g. the sleep-time agents that read new files); never throws into the job. */
export type FileProcessedHook = (p: { orgId: string; file: FileRow; agentIds: string[] }) => Promise<void>;

export function fileProcessJob(p: FileProcessPayload): NewJob {
  return { queue: FILE_PROCESS_QUEUE, payload: p, serialKey: `file:${p.fileId}`, orgId: p.orgId, maxAttempts: 3 };
}

export function createFileProcessHandler(deps: MemoryDeps & { onProcessed?: FileProcessedHook }): JobHandler {
  return async (payload, ctx) => {
    const p = payload as FileProcessPayload;
    const file = await findFile(deps.db, p.orgId, null, p.fileId);
    if (!file || file.processingStatus === 'completed' || file.processingStatus === 'error') return;
    const folder = await findFolder(deps.db, p.orgId, file.folderId);
    if (!folder) return;
    const who = { fileId: file.id, fileName: file.fileName, folderId: folder.id };
    const started = Date.now();
    ctx.log.info(who, `file processing: started ${file.fileName}`);
    let content: string;
    try {
      const kind = kindOf(file.originalFileName, file.fileType ?? undefined) ?? 'text';
      // Files imported from an agent file arrive with their text and no stored bytes.
      content = file.content ?? (await extractText(kind, await readBlobs(deps.db, file.id))).replace(/\u0000/g, '');
    } catch (err) {
      await updateFileRow(deps.db, file.id, {
        processingStatus: 'error',
        errorMessage: `Could not parse the file: ${messageOf(err)}`.slice(0, 2000),
      });
      ctx.log.warn({ ...who, err: messageOf(err).slice(0, 300), ms: Date.now() - started }, 'file processing: could not parse');
      return;
    }
    await updateFileRow(deps.db, file.id, { content, processingStatus: 'embedding' });
    const agentIds = await addFileToAttachedAgents(deps.db, p.orgId, file);
    const texts = splitIntoPassages(content, chunkCharLimit(folder.embeddingConfig));
    await deps.db.delete(fileChunks).where(eq(fileChunks.fileId, file.id));
    await updateFileRow(deps.db, file.id, { totalChunks: texts.length, chunksEmbedded: 0 });
    const progress = startProgress(ctx.log, 'file processing: embedding', { ...who, chars: content.length }, { total: texts.length });
    try {
      await embedAndStore(deps, { orgId: p.orgId, folder, file }, texts, ctx.signal, (done) => progress.step(done));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      await updateFileRow(deps.db, file.id, {
        processingStatus: 'error',
        errorMessage: `Embedding failed: ${messageOf(err)}`.slice(0, 2000),
      });
      ctx.log.warn({ ...who, err: messageOf(err).slice(0, 300), ms: Date.now() - started }, 'file processing: embedding failed');
      return;
    }
    const done = await updateFileRow(deps.db, file.id, { processingStatus: 'completed' });
    progress.finish({ chunks: texts.length, totalMs: Date.now() - started });
    await deleteBlobs(deps.db, file.id);
    if (done && deps.onProcessed)
      await deps
        .onProcessed({ orgId: p.orgId, file: { ...done, content }, agentIds })
        .catch((e) => ctx.log.warn({ err: messageOf(e) }, 'after-file hook failed'));
  };
}

/**
 * Embeds and inserts the chunks in rounds of STORE_BATCH: one multi-row INSERT and one progress update per round,
 * and the next round's embedding request runs while this round is written.
 */
async function embedAndStore(
  deps: MemoryDeps,
  at: { orgId: string; folder: FolderRow; file: FileRow },
  texts: string[],
  signal: AbortSignal,
  onStored: (chunksStored: number) => void,
): Promise<void> {
  const { folder, file } = at;
  const embed = (i: number) => embedTexts(deps.embedderFor, folder.embeddingConfig, texts.slice(i, i + STORE_BATCH));
  let next = texts.length > 0 ? embed(0) : null;
  for (let i = 0; next; i += STORE_BATCH) {
    if (signal.aborted) throw new Error('stopped');
    const vectors = await next;
    next = i + STORE_BATCH < texts.length ? embed(i + STORE_BATCH) : null;
    // A failure of the request already in flight surfaces when it is awaited; keep it from counting as unhandled.
    next?.catch(() => {});
    if (vectors?.[0]) await ensureVectorIndex(deps.db, 'file_chunks', vectors[0].length);
    const batch = texts.slice(i, i + STORE_BATCH);
    await deps.db.insert(fileChunks).values(
      batch.map((text, j) => ({
        id: newId('passage'),
        organizationId: at.orgId,
        folderId: folder.id,
        fileId: file.id,
        fileName: file.fileName,
        chunkIndex: i + j,
        text,
        embedding: vectors?.[j] ?? null,
        embeddingDim: vectors?.[j]?.length ?? null,
        embeddingConfig: vectors ? folder.embeddingConfig : null,
      })),
    );
    await updateFileRow(deps.db, file.id, { chunksEmbedded: i + batch.length });
    onStored(i + batch.length);
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
