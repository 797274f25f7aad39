// The measuring method, the same on every runtime (bench/worker.ts runs it under Deno, Bun and
// Node; bench/c/baseline.c does the same rounds in C):
//
// - time: the cases are called in turn for `warmMs` (so the engine's compilers are done with
//   all of them before anything counts), each one's calls per round are set so a round lasts
//   about `roundMs`, then after `warmup` untimed rounds the cases run in interleaved rounds (the
//   order flips every round), so a slow moment of a shared machine hits them alike; a case's
//   result is its median round and its fastest, in ns per call. (Not Deno.bench or mitata: both time one case after the other,
//   where on a small shared VM the ratio of two cases would then swing with the neighbours.)
// - allocation: the heap's growth over `calls` calls, after a warm-up and a full collection,
//   with nothing collected in between (bench/run.ts starts the runtime with a young generation
//   large enough for that), then what a second full collection leaves. The workers also measure
//   two controls: nothing, and a known allocation.

/** A case to time: one call, its answer folded into a sink so no engine can drop it. */
export type Case = () => number;

/** How long and how often. */
export interface Plan {
  /** Rounds of warm-up, untimed. */
  readonly warmup: number;
  /** Timed rounds per case. */
  readonly rounds: number;
  /** The length a round aims at, in ms. */
  readonly roundMs: number;
  /** How long the cases are called in turn before their rounds are sized, in ms. */
  readonly warmMs: number;
}

/** One case's timing (see `bench/_table.ts`'s `Stat`). */
export interface Timing {
  median: number;
  min: number;
  rounds: number;
  calls: number;
}

let sink = 0;

/** The sink's value (print it, or check it, so the calls are not dead code). */
export function sinkValue(): number {
  return sink;
}

/** `n` calls of `f`; returns the elapsed ms. */
function round(f: Case, n: number): number {
  let s = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s ^= f();
  const t = performance.now() - t0;
  sink ^= s;
  return t;
}

/** Calls the cases in turn for about `ms`, so the engine's compilers are done with all of them. */
function warmUp(cases: readonly Case[], ms: number): void {
  const end = performance.now() + ms;
  for (let n = 1; performance.now() < end; n = Math.min(n * 2, 1 << 12)) {
    for (const f of cases) round(f, n);
  }
}

/** Calls per round so that a round lasts about `ms`. */
function calibrate(f: Case, ms: number): number {
  let n = 1;
  for (;;) {
    const t = round(f, n);
    if (t >= ms / 4 || n >= 1 << 24) return Math.max(1, Math.ceil(n * ms / Math.max(t, 1e-3)));
    n *= 2;
  }
}

/** The middle value (the upper middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * Times `cases` in interleaved rounds.
 *
 * @param cases The cases (e.g. the raw FFI call, then wsioctl's).
 * @param plan Rounds and their length.
 * @returns One timing per case, in ns per call.
 */
export function interleaved(cases: readonly Case[], plan: Plan): Timing[] {
  warmUp(cases, plan.warmMs);
  const calls = cases.map((f) => calibrate(f, plan.roundMs));
  for (let r = 0; r < plan.warmup; r++) cases.forEach((f, c) => round(f, calls[c]));
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < plan.rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = r % 2 === 0 ? k : cases.length - 1 - k;
      samples[c].push(round(cases[c], calls[c]) * 1e6 / calls[c]);
    }
  }
  return samples.map((s, c) => ({
    median: median(s),
    min: Math.min(...s),
    rounds: plan.rounds,
    calls: calls[c],
  }));
}

/** A runtime's heap, as the allocation measure reads it. */
export interface Heap {
  /** A full collection. */
  gc(): void;
  /** The heap's size now, in bytes. */
  used(): number;
}

/** Heap growth per call (see `bench/_table.ts`'s `Alloc`). */
export interface Growth {
  bytesPerCall: number;
  retainedPerCall: number;
  calls: number;
}

/**
 * The heap's growth over `calls` calls of `f`, per call.
 *
 * @param f The call.
 * @param calls How many calls are measured (after two warm-ups of a tenth of that).
 * @param heap The runtime's heap.
 * @returns The bytes per call before and after a full collection.
 */
export function growth(f: Case, calls: number, heap: Heap): Growth {
  const n = Math.max(1, Math.floor(calls / 10));
  round(f, n);
  round(f, n);
  heap.gc();
  heap.gc();
  const before = heap.used();
  round(f, calls);
  const after = heap.used();
  heap.gc();
  heap.gc();
  const retained = heap.used();
  return {
    bytesPerCall: (after - before) / calls,
    retainedPerCall: (retained - before) / calls,
    calls,
  };
}
