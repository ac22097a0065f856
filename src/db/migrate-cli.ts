// `npm run db:migrate`: apply migrations to DATABASE_URL or the embedded database, then exit.
import { loadConfig } from '../config.js';
import { openDb } from './client.js';
import { runMigrations } from './migrate.js';

const config = loadConfig();
const handle = await openDb({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  pgliteSharedBuffers: config.pgliteSharedBuffers,
  pgliteWorker: config.pgliteWorker,
});
await runMigrations(handle);
await handle.close();
console.log(`migrations applied (${handle.kind})`);
