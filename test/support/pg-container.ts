// PostgreSQL + pgvector in a throwaway container for a test run (TEST_DB=postgres without TEST_DATABASE_URL), from
// the image docker-compose.yml names: pulled where a registry is reachable, else built by scripts/docker-images.sh.
import { PostgreSqlContainer } from '@testcontainers/postgresql';

export const TEST_PG_IMAGE = 'pgvector/pgvector:pg17';

export type PgContainer = { url: string; stop(): Promise<void> };

export async function startPgContainer(): Promise<PgContainer> {
  // The reaper sidecar is an image of its own that an offline engine cannot pull; stop() removes the container.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  let started: Awaited<ReturnType<PostgreSqlContainer['start']>>;
  try {
    started = await new PostgreSqlContainer(TEST_PG_IMAGE)
      .withDatabase('mnemo')
      .withUsername('mnemo')
      .withPassword('mnemo')
      .withLabels({ 'mnemo.test': 'postgres' })
      // Throwaway data: kept in memory, no flushes; enough connections for the parallel test files.
      .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
      .withCommand([
        'postgres',
        '-c',
        'max_connections=300',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'shared_buffers=512MB',
      ])
      .start();
  } catch (err) {
    throw new Error(
      `TEST_DB=postgres: could not start ${TEST_PG_IMAGE} through Docker (run scripts/docker-images.sh, ` +
        `or point TEST_DATABASE_URL at a running server): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { url: started.getConnectionUri(), stop: async () => void (await started.stop({ remove: true, removeVolumes: true })) };
}
