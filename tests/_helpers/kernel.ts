/**
 * What the running system offers the timestamp tests, read from Node's `os` and `process` (so the
 * tests decide their expectations without asking the code under test).
 */

import { release } from "node:os";
import process from "node:process";

/** Linux on a CPU where wsioctl reads the kernel's stamps (the tests run on x86_64 and arm64). */
export const LINUX_STAMPS: boolean = process.platform === "linux" &&
  ["x64", "arm64"].includes(process.arch);

const [major, minor] = release().split(".").map((n) => parseInt(n, 10));

/** The kernel attaches per-send ids (SCM_TS_OPT_ID: Linux 6.13 and later). */
export const OPT_ID: boolean = LINUX_STAMPS && (major > 6 || (major === 6 && minor >= 13));
