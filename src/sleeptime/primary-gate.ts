// Lets background sleep-time work yield to primary turns running in this process. Primary turns (HTTP message
// requests, group and agent-to-agent deliveries) enter the gate; companions wait at the gate before each of their
// statements and model calls until no primary has been busy for a short quiet period. The wait is bounded, so a
// steady stream of primaries slows a companion down but cannot starve it.
export type PrimaryGate = {
  /** Marks one primary turn in progress; call the returned function (idempotent) when it ends. */
  enter(): () => void;
  /** Primary turns in progress now. */
  readonly active: number;
  /** Resolves once no primary turn has been in progress for `quietMs`, or after `maxWaitMs` at the latest. */
  idle(maxWaitMs?: number): Promise<void>;
};

export type PrimaryGateOptions = {
  /** How long the process must have been free of primaries (lets a reply flush and a follow-up request arrive). */
  quietMs?: number;
  /** Upper bound of one wait. */
  maxWaitMs?: number;
};

const GATE_QUIET_MS = 50;
const GATE_MAX_WAIT_MS = 2_000;

export function createPrimaryGate(o: PrimaryGateOptions = {}): PrimaryGate {
  const quietMs = o.quietMs ?? GATE_QUIET_MS;
  const defaultMax = o.maxWaitMs ?? GATE_MAX_WAIT_MS;
  let active = 0;
  let lastLeave = 0;
  const wakers = new Set<() => void>();

  const wakeAll = () => {
    for (const w of [...wakers]) w();
  };

  function enter(): () => void {
    active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      active--;
      lastLeave = Date.now();
      if (active === 0) wakeAll();
    };
  }

  /** Sleeps until `ms` passed or the gate changed (a primary left). */
  function nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  }

  async function idle(maxWaitMs = defaultMax): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const now = Date.now();
      const quietFor = now - lastLeave;
      if (active === 0 && quietFor >= quietMs) break;
      if (now >= deadline) break;
      const until = active === 0 ? quietMs - quietFor : deadline - now;
      await nap(Math.max(1, Math.min(until, deadline - now)));
    }
    // Let callbacks already queued (a primary's I/O) run before the companion's next piece of work.
    await new Promise((r) => setImmediate(r));
  }

  return {
    enter,
    get active() {
      return active;
    },
    idle,
  };
}

/** Runs `fn` as a primary turn. */
export async function asPrimary<T>(gate: PrimaryGate | undefined, fn: () => Promise<T>): Promise<T> {
  const leave = gate?.enter();
  try {
    return await fn();
  } finally {
    leave?.();
  }
}
