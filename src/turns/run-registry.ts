// In-process bookkeeping of the runs this process is executing: abort controllers (cancellation reaches a
// provider call at once) and listeners woken when a run's log grows (followers fall back to polling the DB,
// which is how a run executing in another process is followed).
export type RunRegistry = {
  register(runId: string): AbortController;
  unregister(runId: string): void;
  abort(runId: string, reason?: string): boolean;
  isLocal(runId: string): boolean;
  notify(runId: string): void;
  /** Resolves on the next notify for the run, or after `ms`. */
  wait(runId: string, ms: number): Promise<void>;
  /** Runs registered and runs waited on, for tests and diagnostics (both drop to 0 when nothing runs). */
  sizes(): { controllers: number; waiters: number };
};

export function createRunRegistry(): RunRegistry {
  const controllers = new Map<string, AbortController>();
  const waiters = new Map<string, Set<() => void>>();
  return {
    register(runId) {
      const ac = new AbortController();
      controllers.set(runId, ac);
      return ac;
    },
    unregister(runId) {
      controllers.delete(runId);
      this.notify(runId);
    },
    abort(runId, reason = 'cancelled') {
      const ac = controllers.get(runId);
      if (!ac) return false;
      ac.abort(new Error(reason));
      return true;
    },
    isLocal: (runId) => controllers.has(runId),
    notify(runId) {
      const set = waiters.get(runId);
      if (!set) return;
      waiters.delete(runId);
      for (const fn of set) fn();
    },
    wait(runId, ms) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(runId) ?? new Set();
        waiters.set(runId, set);
        const done = () => {
          clearTimeout(t);
          set.delete(done);
          // A wait that times out must not leave its run's empty set behind.
          if (set.size === 0 && waiters.get(runId) === set) waiters.delete(runId);
          resolve();
        };
        const t = setTimeout(done, ms);
        set.add(done);
      });
    },
    sizes: () => ({ controllers: controllers.size, waiters: waiters.size }),
  };
}
