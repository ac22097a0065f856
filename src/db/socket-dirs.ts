// The folders where this server's PostgreSQL may keep its Unix sockets: libpq's defaults plus a socket host named
// in DATABASE_URL (`?host=/path` or a percent-encoded path as the host). Tools must not reach any of them.
export const DEFAULT_SOCKET_DIRS = ['/var/run/postgresql', '/run/postgresql', '/tmp'];

export function postgresSocketDirs(databaseUrl: string | undefined): string[] {
  const dirs = [...DEFAULT_SOCKET_DIRS];
  if (!databaseUrl || !URL.canParse(databaseUrl)) return dirs;
  const url = new URL(databaseUrl);
  const hosts = [...url.searchParams.getAll('host'), decodeURIComponent(url.hostname)];
  for (const host of hosts.flatMap((h) => h.split(','))) if (host.startsWith('/')) dirs.push(host);
  return [...new Set(dirs)];
}
