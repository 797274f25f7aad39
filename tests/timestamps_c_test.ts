// Proves the layouts and numbers the timestamp calls write against C compilers:
// - Windows (mingw-w64 headers, -fsyntax-only, one _Static_assert each): WSAMSG, WSABUF and
//   WSACMSGHDR offsets and sizes, the WSA_CMSG_* macros for the SO_TIMESTAMP_ID (UINT32) and
//   SO_TIMESTAMP (UINT64) messages, SOL_SOCKET, SO_TIMESTAMP, SO_TIMESTAMP_ID
//   (ffi/ws2_32.ts, ffi/_windows_msg.ts). In CI a missing cross compiler is a failure.
// - Linux (the host's cc with glibc and the kernel's uapi headers, on x86_64 only): struct
//   msghdr and struct cmsghdr, CMSG_LEN / CMSG_SPACE of a __u32, SO_TIMESTAMPING, SO_COOKIE,
//   SCM_TS_OPT_ID, the SOF_TIMESTAMPING_* flags, IP(V6)_RECVERR, SO_EE_ORIGIN_TIMESTAMPING,
//   SCM_TSTAMP_SND, MSG_ERRQUEUE and sock_extended_err (ffi/libc.ts). Skipped where the host
//   has no cc or no kernel headers.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { LINUX_MSGHDR, LINUX_TIMESTAMPING } from "../ffi/libc.ts";
import { SO_TIMESTAMP, SO_TIMESTAMP_ID, SOL_SOCKET, WSA_CMSG, WSAMSG } from "../ffi/ws2_32.ts";
import { compileC, mingwUnavailable } from "./_helpers/mingw.ts";

const asserts = (pairs: [string, number][]): string =>
  pairs.map(([expr, value]) => `_Static_assert((${expr}) == ${value}, "${expr} == ${value}");`)
    .join("\n");

describe("the Windows message layouts against mingw-w64's ws2def.h / mswsock.h / mstcpip.h", {
  skip: mingwUnavailable() ?? false,
}, () => {
  test("WSAMSG, WSABUF, WSACMSGHDR and the WSA_CMSG_* macros", () => {
    const source = `
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <stddef.h>
${
      asserts([
        ["sizeof(WSAMSG)", WSAMSG.size],
        ["offsetof(WSAMSG, name)", WSAMSG.name],
        ["offsetof(WSAMSG, namelen)", WSAMSG.namelen],
        ["offsetof(WSAMSG, lpBuffers)", WSAMSG.buffers],
        ["offsetof(WSAMSG, dwBufferCount)", WSAMSG.bufferCount],
        ["offsetof(WSAMSG, Control) + offsetof(WSABUF, len)", WSAMSG.controlLen],
        ["offsetof(WSAMSG, Control) + offsetof(WSABUF, buf)", WSAMSG.controlBuf],
        ["offsetof(WSAMSG, dwFlags)", WSAMSG.flags],
        ["sizeof(WSABUF)", WSAMSG.wsabufSize],
        ["offsetof(WSABUF, buf)", 8],
        ["sizeof(WSACMSGHDR)", WSA_CMSG.header],
        ["TYPE_ALIGNMENT(WSACMSGHDR)", WSA_CMSG.align],
        ["offsetof(WSACMSGHDR, cmsg_len)", WSA_CMSG.len],
        ["offsetof(WSACMSGHDR, cmsg_level)", WSA_CMSG.level],
        ["offsetof(WSACMSGHDR, cmsg_type)", WSA_CMSG.type],
        ["sizeof(((WSACMSGHDR*)0)->cmsg_len)", 8],
        ["(size_t)WSA_CMSG_DATA((WSACMSGHDR*)0)", WSA_CMSG.header],
        // The SO_TIMESTAMP_ID message (UINT32) and the SO_TIMESTAMP message (UINT64).
        ["WSA_CMSG_LEN(sizeof(UINT32))", WSA_CMSG.header + 4],
        ["WSA_CMSG_SPACE(sizeof(UINT32))", WSA_CMSG.header + 8],
        ["WSA_CMSG_LEN(sizeof(UINT64))", WSA_CMSG.header + 8],
        ["WSA_CMSG_SPACE(sizeof(UINT64))", WSA_CMSG.header + 8],
        // The next header after one of cmsg_len 20 starts WSA_CMSGHDR_ALIGN(20) = 24 further.
        ["WSA_CMSGHDR_ALIGN(20)", 24],
        ["WSA_CMSGHDR_ALIGN(24)", 24],
        ["SOL_SOCKET", SOL_SOCKET],
        ["SO_TIMESTAMP", SO_TIMESTAMP],
        ["SO_TIMESTAMP_ID", SO_TIMESTAMP_ID],
        ["sizeof(TIMESTAMPING_CONFIG)", 8],
      ])
    }
`;
    const r = compileC(source);
    assert.ok(r.ok, r.stderr);
  });

  test("a wrong value fails the proof (the check can fail)", () => {
    const r = compileC(
      `#include <winsock2.h>\n#include <mswsock.h>\n${
        asserts([["WSA_CMSG_SPACE(sizeof(UINT32))", 20]])
      }\n`,
    );
    assert.equal(r.ok, false);
    assert.match(r.stderr, /WSA_CMSG_SPACE/);
  });
});

/** Why the Linux proof cannot run here, or false. */
function linuxUnavailable(): string | false {
  if (process.platform !== "linux" || process.arch !== "x64") return "x86_64 Linux only";
  const probe = spawnSync("cc", ["-E", "-x", "c", "-", "-o", "/dev/null"], {
    input: "#include <linux/net_tstamp.h>\n#include <linux/errqueue.h>\n#include <sys/socket.h>\n",
    encoding: "utf8",
  });
  return probe.status === 0 ? false : "no cc with the kernel's uapi headers";
}

/** Compiles `source` with the host's cc (-fsyntax-only). */
function compileHost(source: string): { ok: boolean; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "wsioctl-cc-"));
  try {
    const file = join(dir, "proof.c");
    writeFileSync(file, source);
    const r = spawnSync("cc", ["-fsyntax-only", "-Wall", file], { encoding: "utf8" });
    return { ok: r.status === 0, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the Linux message layouts and timestamping numbers against the host's headers", {
  skip: linuxUnavailable(),
}, () => {
  test("msghdr, cmsghdr, CMSG_*, SO_TIMESTAMPING, SCM_TS_OPT_ID, sock_extended_err", () => {
    const m = LINUX_MSGHDR;
    const t = LINUX_TIMESTAMPING;
    const source = `
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/net_tstamp.h>
#include <linux/errqueue.h>
#ifndef SCM_TS_OPT_ID
#define SCM_TS_OPT_ID 81 /* uapi asm-generic/socket.h, Linux 6.13 */
#endif
${
      asserts([
        ["sizeof(struct msghdr)", m.size],
        ["offsetof(struct msghdr, msg_name)", m.name],
        ["offsetof(struct msghdr, msg_namelen)", m.namelen],
        ["offsetof(struct msghdr, msg_iov)", m.iov],
        ["offsetof(struct msghdr, msg_iovlen)", m.iovlen],
        ["offsetof(struct msghdr, msg_control)", m.control],
        ["offsetof(struct msghdr, msg_controllen)", m.controllen],
        ["offsetof(struct msghdr, msg_flags)", m.flags],
        ["sizeof(struct cmsghdr)", m.cmsgHeader],
        ["sizeof(((struct cmsghdr*)0)->cmsg_len)", m.cmsgLenSize],
        ["offsetof(struct cmsghdr, cmsg_level)", m.cmsgLevel],
        ["offsetof(struct cmsghdr, cmsg_type)", m.cmsgType],
        ["CMSG_ALIGN(1)", m.cmsgAlign],
        ["CMSG_LEN(sizeof(uint32_t))", 20],
        ["CMSG_SPACE(sizeof(uint32_t))", 24],
        ["sizeof(struct iovec)", 16],
        ["offsetof(struct iovec, iov_len)", 8],
        ["sizeof(struct timespec)", 16],
        ["offsetof(struct timespec, tv_nsec)", 8],
        ["sizeof(struct scm_timestamping)", 48],
        ["SOL_SOCKET", t.solSocket],
        ["SO_TYPE", t.soType],
        ["SO_TIMESTAMPING", t.soTimestamping],
        ["SCM_TIMESTAMPING", t.soTimestamping],
        ["SO_COOKIE", t.soCookie],
        ["SCM_TS_OPT_ID", t.scmTsOptId],
        ["SOL_IP", t.ipRecvErr[0]],
        ["IP_RECVERR", t.ipRecvErr[1]],
        ["SOL_IPV6", t.ipv6RecvErr[0]],
        ["IPV6_RECVERR", t.ipv6RecvErr[1]],
        ["SOF_TIMESTAMPING_TX_SOFTWARE", t.txSoftware],
        ["SOF_TIMESTAMPING_RX_SOFTWARE", t.rxSoftware],
        ["SOF_TIMESTAMPING_SOFTWARE", t.software],
        ["SOF_TIMESTAMPING_OPT_ID", t.optId],
        ["SOF_TIMESTAMPING_OPT_TSONLY", t.optTsOnly],
        ["SO_EE_ORIGIN_TIMESTAMPING", t.originTimestamping],
        ["SCM_TSTAMP_SND", t.tstampSnd],
        ["MSG_ERRQUEUE", t.msgErrQueue],
        ["MSG_DONTWAIT", 0x40],
        ["CLOCK_REALTIME", t.clockRealtime],
        ["sizeof(struct sock_extended_err)", 16],
        ["offsetof(struct sock_extended_err, ee_origin)", 4],
        ["offsetof(struct sock_extended_err, ee_info)", 8],
        ["offsetof(struct sock_extended_err, ee_data)", 12],
      ])
    }
`;
    const r = compileHost(source);
    assert.ok(r.ok, r.stderr);
  });

  test("a wrong value fails the proof (the check can fail)", () => {
    const r = compileHost(`#include <sys/socket.h>\n${asserts([["sizeof(struct msghdr)", 48]])}\n`);
    assert.equal(r.ok, false);
    assert.match(r.stderr, /sizeof\(struct msghdr\) == 48/);
  });
});
