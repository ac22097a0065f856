// What the send service hands to its routes: the events of one run in order (Letta messages, pings, stop_reason,
// usage_statistics; `error` marks an error_message), as an AsyncIterable the route writes out as SSE.
export type TurnEvent = { data: Record<string, unknown>; error?: boolean };

/** A run's live events: the service pushes, one reader iterates; ends when the run ends or the reader leaves. */
export type EventQueue = AsyncIterable<TurnEvent> & {
  push(e: TurnEvent): void;
  end(): void;
};

/** Once `signal` aborts (the reader left), pending events are dropped and new ones ignored. */
export function createEventQueue(signal?: AbortSignal): EventQueue {
  let items: TurnEvent[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  signal?.addEventListener(
    'abort',
    () => {
      ended = true;
      items = [];
      notify();
    },
    { once: true },
  );
  return {
    push(e) {
      if (ended) return;
      items.push(e);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = items.shift();
        if (next) yield next;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
