/**
 * Forces garbage collection and lets FinalizationRegistry callbacks run, for the tests of the
 * GC backstop. Deno needs `--v8-flags=--expose-gc`, Node `--expose-gc` (the test scripts pass
 * them); Bun has `Bun.gc(true)`.
 */

const g = globalThis as {
  gc?: () => void;
  Bun?: { gc(force: boolean): void };
};

/** Why collection cannot be forced here, or undefined when it can. */
export function gcUnavailable(): string | undefined {
  if (typeof g.gc === "function" || g.Bun !== undefined) return undefined;
  return "no forced GC: run Deno with --v8-flags=--expose-gc, Node with --expose-gc";
}

/**
 * Skips the calling test (with the reason) when collection cannot be forced; in CI that is a
 * failure instead.
 *
 * @returns true when the test must return now.
 */
export function skipWithoutGc(t: { skip(message?: string): void }): boolean {
  const why = gcUnavailable();
  if (why === undefined) return false;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  if (env?.CI) throw new Error(`${why} (CI never skips these tests)`);
  t.skip(why);
  return true;
}

/** Collects garbage several times, yielding to the event loop so that finalizers run. */
export async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    if (typeof g.gc === "function") g.gc();
    else g.Bun?.gc(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The heap's size now, in bytes, as the allocation tests read it: V8's used heap (Deno, Node);
 * under Bun, JavaScriptCore's heap capacity, which grows in blocks as objects are allocated (its
 * used size is only counted by a collection).
 */
export async function heapReader(): Promise<() => number> {
  if (g.Bun === undefined) {
    const proc = (globalThis as { process: { memoryUsage(): { heapUsed: number } } }).process;
    return () => proc.memoryUsage().heapUsed;
  }
  const BUN_JSC = "bun:jsc"; // non-literal: `deno check` does not resolve it
  const jsc = (await import(BUN_JSC)) as { heapStats(): { heapCapacity: number } };
  return () => jsc.heapStats().heapCapacity;
}

/** One full collection, now (no yielding). */
export function collectNow(): void {
  if (typeof g.gc === "function") g.gc();
  else g.Bun?.gc(true);
}
