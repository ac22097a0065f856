// Runs the installed git binaries for the server's own repository cache: fixed paths, a minimal environment, bounded
// output and time. No argument or variable here comes from a caller except checked ids and object names.
import { spawn } from 'node:child_process';

export const GIT = '/usr/bin/git';
export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export type GitRun = { code: number | null; stdout: Buffer; stderr: string };

/** The environment every git process gets: no system or user configuration, a fixed PATH. */
export function baseGitEnv(home: string): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C' };
}

export function runProcess(
  file: string,
  args: string[],
  o: { env: Record<string, string>; input?: Buffer; maxOutputBytes: number; timeoutMs: number },
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > o.maxOutputBytes) child.kill('SIGKILL');
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString('utf8');
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (size > o.maxOutputBytes) reject(new Error(`${file} wrote more than ${o.maxOutputBytes} bytes`));
      else resolve({ code, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.on('error', () => {}); // a process that exits early closes its stdin; its exit code tells the story
    child.stdin.end(o.input ?? Buffer.alloc(0));
  });
}

export type CgiResponse = { status: number; headers: Record<string, string>; body: Buffer };

/** Splits a CGI program's output into status, headers and body. */
export function parseCgi(out: Buffer): CgiResponse {
  const crlf = out.indexOf('\r\n\r\n');
  const lf = out.indexOf('\n\n');
  const [end, sep] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
  if (end < 0) throw new Error('git-http-backend wrote no headers');
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of out.toString('latin1', 0, end).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers, body: out.subarray(end + sep) };
}
