// Health probes over a real port while something else runs: the longest round trip tells how long the event loop
// was held (the server and the test share one process, so any block delays some probe).
export type LatencyProbe = { stop(): Promise<{ maxMs: number; probes: number; all: number[] }> };

/** Starts probing after a few warm-up round trips (the first requests on a new connection are slow by themselves). */
export async function probeHealth(url: string): Promise<LatencyProbe> {
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/v1/health/`)).arrayBuffer();
  let running = true;
  let maxMs = 0;
  let probes = 0;
  const all: number[] = [];
  const loop = (async () => {
    let last = performance.now();
    while (running) {
      const res = await fetch(`${url}/v1/health/`);
      await res.arrayBuffer();
      const now = performance.now();
      // From the end of the previous probe: a block between two probes counts too.
      maxMs = Math.max(maxMs, now - last);
      all.push(Math.round(now - last));
      last = now;
      probes++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { maxMs, probes, all };
    },
  };
}
