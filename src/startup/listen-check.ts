// Tries the listen address before the database opens, so a port in use fails the start in a second, not after
// the database, the migrations and the services are up.
import { createServer } from 'node:net';
import { StartupError, codeOf, messageOf } from './startup-error.js';

export async function checkListenAddress(host: string, port: number): Promise<void> {
  if (port === 0) return; // any free port: nothing to check
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(listenError(host, port, err)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Also used for the real listen's error, should the address be taken in between. */
export function listenError(host: string, port: number, err: unknown): StartupError | unknown {
  const where = `${host}:${port}`;
  switch (codeOf(err)) {
    case 'EADDRINUSE':
      return new StartupError(
        `cannot listen on ${where}: the port is already in use (another Mnemo, or another program); stop it or set PORT to a free port`,
      );
    case 'EACCES':
      return new StartupError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges); set PORT to 1024 or above`);
    case 'EADDRNOTAVAIL':
      return new StartupError(
        `cannot listen on HOST=${host}: no network interface of this machine has that address; set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `cannot listen on HOST=${host}: the name does not resolve; set HOST to an address such as 127.0.0.1 or 0.0.0.0`,
      );
    default:
      return err instanceof Error ? err : new Error(messageOf(err));
  }
}
