// Where a start's time goes: wall and CPU milliseconds per phase, from the process's own start (node's bootstrap and
// the loading of the server's code come first), and the resident memory at each phase's end; logged once listening.
import { performance } from 'node:perf_hooks';

export type StartupPhase = { phase: string; ms: number; cpuMs: number; rssMb: number };

export type StartupClock = {
  /** Ends the current phase under `phase`; the next one starts now. */
  mark(phase: string): void;
  phases(): StartupPhase[];
  /** Milliseconds since the process started. */
  totalMs(): number;
};

const rssMb = () => Math.round(process.memoryUsage.rss() / 1048576);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Starts counting; the first phase, `node`, is everything before this call (bootstrap and loading main). */
export function startStartupClock(): StartupClock {
  const phases: StartupPhase[] = [{ phase: 'node', ms: Math.round(performance.now()), cpuMs: Math.round(cpuMs()), rssMb: rssMb() }];
  let lastMs = performance.now();
  let lastCpu = cpuMs();
  return {
    mark(phase) {
      const ms = performance.now();
      const cpu = cpuMs();
      phases.push({ phase, ms: Math.round(ms - lastMs), cpuMs: Math.round(cpu - lastCpu), rssMb: rssMb() });
      lastMs = ms;
      lastCpu = cpu;
    },
    phases: () => [...phases],
    totalMs: () => Math.round(performance.now()),
  };
}

/** `node 310 ms, modules 420 ms, …` for the log line. */
export function phaseText(phases: readonly StartupPhase[]): string {
  return phases.map((p) => `${p.phase} ${p.ms} ms`).join(', ');
}
