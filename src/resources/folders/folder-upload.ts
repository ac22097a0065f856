// Upload: the multipart file streams into `folder_file_blobs` in parts (never whole in memory), after its kind and
// first bytes were checked; the reply comes at once and a durable job parses, chunks and embeds it.
import type { Db } from '../../db/client.js';
import { folderFileBlobs } from '../../db/schema/index.js';
import { AppError, ConflictError, PayloadTooLargeError } from '../../errors.js';
import { newId } from '../../ids.js';
import { fileProcessJob } from '../../resources/folders/file-process.job.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import { bytesFit, kindOf, MIME_OF } from './file-types.js';
import type { FileRow, FolderRow } from './folders.mapper.js';
import * as repo from './folders.repo.js';
import type { DuplicateHandling } from './folders.schemas.js';

/** Bytes per stored part. */
const BLOB_PART_BYTES = 1 << 20;

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(message, 415);
  }
}

export type UploadPart = {
  filename: string;
  mimetype?: string;
  file: AsyncIterable<Buffer> & { truncated?: boolean; resume(): unknown };
};
export type UploadDeps = { db: Db; maxUploadBytes: number; kick(): void };

/** A safe stored name: the last path segment, no control characters, at most 255 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return clean || 'file';
}

async function pickName(
  db: Db,
  folder: FolderRow,
  original: string,
  mode: DuplicateHandling,
): Promise<{ name: string; existing?: FileRow }> {
  const name = `${folder.name}/${original}`;
  const existing = await repo.findFileByName(db, folder.id, name);
  if (!existing || mode === 'replace' || mode === 'skip') return { name, existing };
  if (mode === 'error') throw new ConflictError(`File '${original}' already exists in folder '${folder.name}'`);
  const dot = original.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [original.slice(0, dot), original.slice(dot)] : [original, ''];
  const taken = new Set(await repo.fileNamesLike(db, folder.id, `${folder.name}/${base}_(`));
  for (let n = 1; ; n++) {
    const candidate = `${folder.name}/${base}_(${n})${ext}`;
    if (!taken.has(candidate)) return { name: candidate };
  }
}

/** Reads the stream into parts of BLOB_PART_BYTES, calling `first` with the first bytes before anything is stored. */
async function* parts(file: UploadPart['file']): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of file) {
    pending.push(chunk);
    size += chunk.length;
    while (size >= BLOB_PART_BYTES) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, BLOB_PART_BYTES);
      pending = [all.subarray(BLOB_PART_BYTES)];
      size = all.length - BLOB_PART_BYTES;
    }
  }
  if (size > 0) yield Buffer.concat(pending);
}

export async function uploadFile(
  deps: UploadDeps,
  orgId: string,
  folder: FolderRow,
  part: UploadPart,
  q: { duplicate_handling?: DuplicateHandling; name?: string },
): Promise<FileRow> {
  const { db } = deps;
  const original = cleanFileName(q.name ?? part.filename);
  const kind = kindOf(original, part.mimetype) ?? kindOf(part.filename, part.mimetype);
  if (!kind) {
    part.file.resume();
    throw new UnsupportedMediaTypeError(`Unsupported file type: '${original}' (${part.mimetype ?? 'no MIME type'})`);
  }
  const mode = q.duplicate_handling ?? 'suffix';
  const { name, existing } = await pickName(db, folder, original, mode);
  if (existing && mode === 'skip') {
    part.file.resume();
    return existing;
  }
  const id = newId('file');
  let seq = 0;
  let size = 0;
  let row: FileRow | undefined;
  try {
    for await (const buf of parts(part.file)) {
      if (seq === 0) {
        if (!bytesFit(kind, buf)) throw new UnsupportedMediaTypeError(`The content of '${original}' is not a valid ${kind} file`);
        const tempName = existing ? `${name}#${id}` : name;
        row = await repo.insertFileRow(db, {
          id,
          organizationId: orgId,
          folderId: folder.id,
          fileName: tempName,
          originalFileName: original,
          fileType: MIME_OF[kind],
          processingStatus: 'pending',
        });
      }
      size += buf.length;
      if (size > deps.maxUploadBytes) break;
      await db.insert(folderFileBlobs).values({ fileId: id, seq: seq++, data: Buffer.from(buf) });
    }
    if (size > deps.maxUploadBytes || part.file.truncated)
      throw new PayloadTooLargeError(`file: larger than the upload limit of ${deps.maxUploadBytes} bytes`);
  } catch (err) {
    part.file.resume();
    if (row) await repo.deleteFileRow(db, orgId, id);
    throw err;
  }
  if (!row)
    row = await repo.insertFileRow(db, {
      id,
      organizationId: orgId,
      folderId: folder.id,
      fileName: name,
      originalFileName: original,
      fileType: MIME_OF[kind],
    });
  return finishUpload(deps, orgId, row, { size, name, existing });
}

async function finishUpload(
  deps: UploadDeps,
  orgId: string,
  row: FileRow,
  o: { size: number; name: string; existing?: FileRow },
): Promise<FileRow> {
  const done = await deps.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    if (o.existing) await repo.deleteFileRow(tx, orgId, o.existing.id);
    const r = await repo.updateFileRow(tx, row.id, { fileName: o.name, fileSize: o.size, processingStatus: 'parsing' });
    await insertJob(tx, fileProcessJob({ fileId: row.id, orgId }));
    return r!;
  });
  deps.kick();
  return done;
}
