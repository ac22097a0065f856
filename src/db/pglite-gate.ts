// Keeps a transaction's statements together on the one embedded connection: while a transaction is open, other
// callers' statements and transactions wait (in arrival order) instead of running inside it. Statements outside
// transactions are posted at once, so the worker always has the next one queued. The worker runs messages in the
// order they are posted; posting COMMIT before letting the waiters go is what keeps the order right.
import type { QueryOptions, Results } from '@electric-sql/pglite';

/** A transaction's handle, as PGlite's transaction() passes it. */
export type PgliteTx = {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
};

export type Statements = Pick<PgliteTx, 'query' | 'exec'>;

type Waiter = { tx: boolean; go(): void };

export function createTxGate() {
  let open = false; // a transaction holds the connection
  const waiting: Waiter[] = [];

  /** Undefined when the caller may post now; else a promise resolved in its turn (a transaction then holds the gate). */
  const enter = (tx: boolean): Promise<void> | undefined => {
    if (!open && waiting.length === 0) {
      open = tx;
      return undefined;
    }
    return new Promise<void>((go) => waiting.push({ tx, go }));
  };
  const leave = () => {
    open = false;
    while (!open && waiting.length > 0) {
      const w = waiting.shift()!;
      open = w.tx;
      w.go();
    }
  };

  return {
    async outside<T>(post: () => Promise<T>): Promise<T> {
      const turn = enter(false);
      if (turn) await turn;
      return post();
    },

    /** BEGIN, the caller's statements, then COMMIT (ROLLBACK when `fn` throws); like PGlite's own transaction(). */
    async transaction<T>(statements: Statements, fn: (tx: PgliteTx) => Promise<T>): Promise<T> {
      const turn = enter(true);
      if (turn) await turn;
      let closed = false;
      const end = (text: string) => {
        closed = true;
        const done = statements.exec(text);
        leave();
        return done;
      };
      const check = () => {
        if (closed) throw new Error('Transaction is closed');
      };
      const tx: PgliteTx = {
        query: async (text, params, options) => {
          check();
          return statements.query(text, params, options);
        },
        exec: async (text) => {
          check();
          return statements.exec(text);
        },
        rollback: async () => {
          check();
          await end('ROLLBACK');
        },
        get closed() {
          return closed;
        },
      };
      try {
        await statements.exec('BEGIN');
        const result = await fn(tx);
        if (!closed) await end('COMMIT');
        return result;
      } catch (err) {
        if (!closed) await end('ROLLBACK').catch(() => {});
        throw err;
      }
    },
  };
}
