// Small helpers for the compose test: run a command with a deadline, find the compose command and the bridge address.
import { spawn } from 'node:child_process';

export type RunResult = { code: number | null; stdout: string; stderr: string };

/** Runs a command to its end or its deadline (then kills it and reports code null); never throws for a bad exit. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${opts.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ code: -1, stdout, stderr: `${stderr}${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** `docker compose` where the plugin exists, else the standalone `docker-compose`. */
export async function composeCommand(): Promise<string[]> {
  if ((await run('docker', ['compose', 'version'], { timeoutMs: 30_000 })).code === 0) return ['docker', 'compose'];
  if ((await run('docker-compose', ['version'], { timeoutMs: 30_000 })).code === 0) return ['docker-compose'];
  throw new Error('neither `docker compose` nor `docker-compose` works here: run scripts/docker-images.sh');
}

/** The host's address on Docker's default bridge: containers on any bridge network reach the host there. */
export async function dockerBridgeGateway(): Promise<string> {
  const format = '{{range .IPAM.Config}}{{.Gateway}} {{end}}|{{index .Options "com.docker.network.bridge.name"}}';
  const r = await run('docker', ['network', 'inspect', 'bridge', '-f', format], { timeoutMs: 30_000 });
  const [gateways = '', bridge = 'docker0'] = r.stdout.trim().split('|');
  // Older engines leave the default bridge's Gateway empty: then the address of its interface on this host (an
  // interface without containers has no carrier, and node's networkInterfaces() leaves it out, so ask `ip`).
  const fromIp = async () => {
    const ip = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', bridge.trim()], { timeoutMs: 10_000 });
    return /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(ip.stdout)?.[1];
  };
  const gateway = gateways.trim().split(/\s+/).find(isIpv4) ?? (await fromIp());
  if (r.code !== 0 || !gateway) throw new Error(`no Docker bridge address (is a Docker engine running?): ${r.stderr}`);
  return gateway;
}

const isIpv4 = (a: string) => /^\d+\.\d+\.\d+\.\d+$/.test(a);
