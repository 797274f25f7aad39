// The Linux `struct tcp_info` layout ffi/_posix_tcpinfo.ts reads, and the option it asks with,
// proven with _Static_assert against this machine's headers (gcc): every member's offset and
// size, the length asked for, IPPROTO_TCP / TCP_INFO, the TCPI_OPT_* bits and the TCP_* state
// numbers. The members Linux appended after the installed header's last one are checked as that
// appended tail (see the C below). The macOS struct has no header here: tests/posix_tcpinfo_test.ts
// proves it byte for byte over a fake libc.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { LINUX_TCP_INFO_LAYOUT } from "../ffi/_posix_tcpinfo.ts";
import { LINUX_TCP_INFO } from "../ffi/libc.ts";
import { compileC, gccUnavailable, HOST_GCC } from "./_helpers/mingw.ts";

const skip = (process.platform !== "linux" && "Linux headers") || (gccUnavailable() ?? false);

// linux/tcp.h before 6.7 ends before the RTO counters: the members Linux 6.2 and 6.7 appended
// (include/uapi/linux/tcp.h) are declared after it. An installed header from 6.2 to 6.6 already
// has the first two and fails the size check, which says so.
const TAIL = `
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
typedef struct tcp_info wsioctl_tcp_info;
#else
_Static_assert(sizeof(struct tcp_info) == offsetof(struct tcp_info, tcpi_snd_wnd) + 4,
               "the installed linux/tcp.h must end at tcpi_snd_wnd (5.19 to 6.1) or be 6.7+");
typedef struct {
  struct tcp_info base;
  __u32 tcpi_rcv_wnd;              /* Linux 6.2 */
  __u32 tcpi_rehash;               /* Linux 6.2 */
  __u16 tcpi_total_rto;            /* Linux 6.7 */
  __u16 tcpi_total_rto_recoveries; /* Linux 6.7 */
  __u32 tcpi_total_rto_time;       /* Linux 6.7 */
} wsioctl_tcp_info;
#endif
`;
const APPENDED = new Set(["tcpi_rcv_wnd", "tcpi_total_rto_recoveries"]);

/** `[condition, message]`: one _Static_assert each. */
type Assertion = [string, string];

function generate(): { source: string; asserts: number } {
  const members: string[] = [];
  const assertions: Assertion[] = [];
  for (const [name, [offset, size]] of Object.entries(LINUX_TCP_INFO_LAYOUT.fields)) {
    // Before 6.7 the header's members are reached through `base` (at offset 0).
    const member = APPENDED.has(name) ? name : `BASE_${name}`;
    members.push(
      "#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)",
      `#define BASE_${name} ${name}`,
      "#else",
      `#define BASE_${name} base.${name}`,
      "#endif",
    );
    assertions.push(
      [`offsetof(wsioctl_tcp_info, ${member}) == ${offset}`, `${name} at ${offset}`],
      [`sizeof(((wsioctl_tcp_info *)0)->${member}) == ${size}`, `${name}: ${size} bytes`],
    );
  }
  const [level, option] = LINUX_TCP_INFO;
  const size = LINUX_TCP_INFO_LAYOUT.size;
  assertions.push(
    [
      `offsetof(wsioctl_tcp_info, tcpi_total_rto_time) + 4 == ${size}`,
      `the length asked for, ${size}, is Linux 6.7's struct`,
    ],
    [`IPPROTO_TCP == ${level}`, "IPPROTO_TCP"],
    [`TCP_INFO == ${option}`, "TCP_INFO"],
    ["TCPI_OPT_TIMESTAMPS == 1", "TCPI_OPT_TIMESTAMPS"],
    ["TCPI_OPT_ECN == 8", "TCPI_OPT_ECN"],
  );
  const source = [
    "#include <stddef.h>",
    "#include <netinet/in.h>",
    "#include <linux/tcp.h>",
    "#include <linux/version.h>",
    TAIL,
    ...members,
    ...assertions.map(([cond, msg]) => `_Static_assert(${cond}, ${JSON.stringify(msg)});`),
  ].join("\n");
  return { source: source + "\n", asserts: assertions.length };
}

// The state numbers ffi/_posix_tcpinfo.ts maps: glibc's netinet/tcp.h (which cannot share a
// translation unit with linux/tcp.h: both declare struct tcphdr and struct tcp_info).
const STATES = `
#include <netinet/tcp.h>
#define A(cond, msg) _Static_assert(cond, msg)
A(TCP_ESTABLISHED == 1, "TCP_ESTABLISHED");
A(TCP_SYN_SENT == 2, "TCP_SYN_SENT");
A(TCP_SYN_RECV == 3, "TCP_SYN_RECV");
A(TCP_FIN_WAIT1 == 4, "TCP_FIN_WAIT1");
A(TCP_FIN_WAIT2 == 5, "TCP_FIN_WAIT2");
A(TCP_TIME_WAIT == 6, "TCP_TIME_WAIT");
A(TCP_CLOSE == 7, "TCP_CLOSE");
A(TCP_CLOSE_WAIT == 8, "TCP_CLOSE_WAIT");
A(TCP_LAST_ACK == 9, "TCP_LAST_ACK");
A(TCP_LISTEN == 10, "TCP_LISTEN");
A(TCP_CLOSING == 11, "TCP_CLOSING");
`;

describe(`struct tcp_info against ${HOST_GCC} and linux/tcp.h`, { skip }, () => {
  test("every member read, the length asked for, the option and the bits", () => {
    const { source, asserts } = generate();
    assert.ok(asserts >= 2 * Object.keys(LINUX_TCP_INFO_LAYOUT.fields).length + 5);
    const result = compileC(source, ["-std=gnu11", "-Werror"], HOST_GCC);
    assert.ok(result.ok, result.stderr);
  });

  test("the TCP_* state numbers", () => {
    const result = compileC(STATES, ["-std=gnu11", "-Werror"], HOST_GCC);
    assert.ok(result.ok, result.stderr);
  });

  test("the proof can fail: a wrong offset is a compile error naming the member", () => {
    const { source } = generate();
    const wrong = source.replace("tcpi_rtt) == 68", "tcpi_rtt) == 72");
    assert.notEqual(wrong, source);
    const result = compileC(wrong, ["-std=gnu11", "-Werror"], HOST_GCC);
    assert.equal(result.ok, false);
    assert.match(result.stderr, /tcpi_rtt at 68/);
  });
});
