/**
 * Reads the code blocks of README.md that tests run, so that the README is what CI checks and
 * never a copy of it.
 *
 * A block is checked when the line above its opening fence (blank lines aside) is a comment such
 * as `<!-- test: deno bun -->`: the words name the runtimes that run it (`deno`, `bun`, `node`) or
 * the role it plays (`tsconfig`: the consumer tsconfig.json the npm leg compiles the package's
 * types with; `deno-link`, `bun-tsconfig`: how a project uses a checkout, which the Deno and Bun
 * examples then run through). Markdown renderers (GitHub, npm, JSR) do not show the comment. A
 * runnable example states what it prints in `// prints: …` lines, one per line of output, which
 * the tests compare.
 *
 * A runtime may have several examples (each runs on its own). An example may show the command
 * that runs it — `// deno run <flags> <file>.ts`, `// bun run <file>.ts`, `// node <file>.mjs` —
 * and the tests then save it under that name and run it with those flags; a Deno example without
 * one gets `--allow-ffi` only.
 *
 * Users: tests/readme_test.ts (Deno and Bun against the checkout), scripts/build_npm.ts (Node and
 * tsc against the installed tarball).
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A fenced code block of the README. */
export interface ReadmeBlock {
  /** The words of its `<!-- test: … -->` comment; empty when it has none. */
  tags: string[];
  /** The fence's info string (`ts`, `js`, `json`, `sh`, …). */
  lang: string;
  /** The block's text, ending with a newline. */
  code: string;
  /** 1-based line number of the opening fence, for messages. */
  line: number;
}

/** Languages whose blocks are code a reader copies: each of them must carry a test comment. */
export const CHECKED_LANGS: readonly string[] = ["ts", "typescript", "js", "javascript", "json"];

const MARKER = /^<!--\s*test:\s*([\w\s-]+?)\s*-->$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;

/**
 * Every fenced code block of a Markdown text, with the test comment above it.
 *
 * @param text the Markdown source
 * @returns the blocks in order
 * @throws {Error} when a fence is never closed or a test comment stands above no code block
 */
export function readmeBlocks(text: string): ReadmeBlock[] {
  const lines = text.split("\n");
  const blocks: ReadmeBlock[] = [];
  let pending: { tags: string[]; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i].trim());
    if (marker) {
      pending = { tags: marker[1].split(/\s+/), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(lines[i]);
    if (!fence) {
      if (pending && lines[i].trim() !== "") {
        throw new Error(`README.md:${pending.line}: a test comment must stand above a code block`);
      }
      continue;
    }
    const close = fence[1];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith(close); i++) body.push(lines[i]);
    if (i === lines.length) throw new Error(`README.md:${start + 1}: the code block never closes`);
    blocks.push({
      tags: pending?.tags ?? [],
      lang: fence[2],
      code: body.join("\n") + "\n",
      line: start + 1,
    });
    pending = undefined;
  }
  if (pending) {
    throw new Error(`README.md:${pending.line}: a test comment must stand above a code block`);
  }
  return blocks;
}

/**
 * The checkout's README.md, read fresh.
 *
 * @param root the checkout's root directory
 * @returns its text
 */
export function readme(root: string): string {
  return readFileSync(join(root, "README.md"), "utf8");
}

/**
 * The one README block tagged `tag`.
 *
 * @param text the README's text
 * @param tag a runtime (`deno`, `bun`, `node`) or role (`tsconfig`)
 * @returns the block
 * @throws {Error} when no block or more than one carries the tag
 */
export function readmeBlock(text: string, tag: string): ReadmeBlock {
  const found = readmeBlocks(text).filter((b) => b.tags.includes(tag));
  if (found.length !== 1) {
    throw new Error(
      `README.md must have exactly one code block marked <!-- test: … ${tag} … -->, ` +
        `found ${found.length}`,
    );
  }
  return found[0];
}

/**
 * Every README block tagged `tag`, in order: the runtimes have one example or more each.
 *
 * @param text the README's text
 * @param tag a runtime (`deno`, `bun`, `node`)
 * @returns the blocks (at least one)
 * @throws {Error} when no block carries the tag
 */
export function readmeBlocksTagged(text: string, tag: string): ReadmeBlock[] {
  const found = readmeBlocks(text).filter((b) => b.tags.includes(tag));
  if (found.length === 0) {
    throw new Error(`README.md has no code block marked <!-- test: … ${tag} … -->`);
  }
  return found;
}

/** How each runtime's run line reads; the last group of `form` is the file. */
const RUN_LINES: Record<string, { start: string; form: RegExp; shape: string }> = {
  deno: {
    start: "// deno run ",
    form: /^\/\/ deno run ((?:--[\w-]+(?:=\S+)? )*)([\w-]+\.ts)$/,
    shape: "deno run <flags> <file>.ts",
  },
  bun: { start: "// bun run ", form: /^\/\/ bun run ([\w-]+\.ts)$/, shape: "bun run <file>.ts" },
  node: { start: "// node ", form: /^\/\/ node ([\w-]+\.mjs)$/, shape: "node <file>.mjs" },
};

/** The match of a block's run line for `runtime`, undefined when it shows none. */
function runLine(block: ReadmeBlock, runtime: string): RegExpExecArray | undefined {
  const run = RUN_LINES[runtime];
  if (run === undefined) throw new Error(`no run line for runtime "${runtime}"`);
  const line = block.code.split("\n").find((l) => l.startsWith(run.start));
  if (line === undefined) return undefined;
  const m = run.form.exec(line);
  if (m === null) {
    throw new Error(
      `README.md:${block.line}: its "${run.start.trim()}" line is not \`${run.shape}\`: ${line}`,
    );
  }
  return m;
}

/**
 * The Deno flags a README example runs with: those of the `// deno run <flags> <file>.ts` line it
 * shows the reader, or `--allow-ffi` (the permission every example needs) when it shows none.
 *
 * @param block a Deno example
 * @returns the flags, each starting with `--`
 * @throws {Error} when its `deno run` line names something other than flags and a file
 */
export function denoRunFlags(block: ReadmeBlock): string[] {
  const m = runLine(block, "deno");
  return m === undefined ? ["--allow-ffi"] : m[1].trim().split(" ");
}

/**
 * The file a README example's run line (`// deno run <flags> first.ts`, `// bun run first.ts`,
 * `// node first.mjs`) tells the reader to save it as: the tests save it so and run that line.
 *
 * @param block a runnable README block
 * @param runtime `deno`, `bun` or `node`
 * @returns the file name, or undefined when the block shows no run line for `runtime`
 * @throws {Error} when its run line for `runtime` has another shape
 */
export function shownFile(block: ReadmeBlock, runtime: string): string | undefined {
  return runLine(block, runtime)?.at(-1);
}

/**
 * What a README example says it prints: the text of its `// prints: …` lines, in order.
 *
 * @param block a runnable README block
 * @returns the expected output, one entry per line
 * @throws {Error} when the block states no output (an example whose output is unchecked could
 *   print anything)
 */
export function expectedOutput(block: ReadmeBlock): string[] {
  const lines = [...block.code.matchAll(/^\s*\/\/ prints: (.*)$/gm)].map((m) => m[1]);
  if (lines.length === 0) {
    throw new Error(`README.md:${block.line}: the example states no "// prints: …" line`);
  }
  return lines;
}
