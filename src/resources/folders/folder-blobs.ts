// The stored bytes of an upload, read back whole by the processing job and dropped once it is done.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { folderFileBlobs } from '../../db/schema/index.js';

export async function readBlobs(db: Db, fileId: string): Promise<Buffer> {
  const rows = await db
    .select({ data: folderFileBlobs.data })
    .from(folderFileBlobs)
    .where(eq(folderFileBlobs.fileId, fileId))
    .orderBy(folderFileBlobs.seq);
  return Buffer.concat(rows.map((r) => r.data));
}

export async function deleteBlobs(db: Db, fileId: string): Promise<void> {
  await db.delete(folderFileBlobs).where(eq(folderFileBlobs.fileId, fileId));
}
