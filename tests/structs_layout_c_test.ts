// Proves STRUCT_LAYOUTS against the Windows headers: generates a C file with one
// _Static_assert per size, alignment, member offset and member size, plus the SDK constants
// wsioctl re-exports, and compiles it with the mingw-w64 cross compiler (-fsyntax-only).
// In CI (process.env.CI set) a missing compiler is a failure, never a skip.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import process from "node:process";
import * as S from "../structs/mod.ts";

import { compileC, MINGW_DEFINES, MINGW_GCC, mingwUnavailable } from "./_helpers/mingw.ts";

const CC = MINGW_GCC;
const DEFINES = MINGW_DEFINES;
const IN_CI = Boolean(process.env.CI);
const SKIP = mingwUnavailable() ?? false;
const HAVE_CC = SKIP === false;

// Structs the mingw-w64 10 headers lack, declared from the Windows SDK (10.0.22621) headers
// under a private tag so a newer mingw that adds them cannot clash.
const HAND_DECLARED = `
/* TCP_INFO_v2: Windows SDK um/mstcpip.h (NTDDI_WIN11_GA and later); v1 plus 4 members. */
typedef struct wsioctl_sdk_TCP_INFO_v2 {
  TCPSTATE State; ULONG Mss; ULONG64 ConnectionTimeMs; BOOLEAN TimestampsEnabled;
  ULONG RttUs; ULONG MinRttUs; ULONG BytesInFlight; ULONG Cwnd; ULONG SndWnd; ULONG RcvWnd;
  ULONG RcvBuf; ULONG64 BytesOut; ULONG64 BytesIn; ULONG BytesReordered; ULONG BytesRetrans;
  ULONG FastRetrans; ULONG DupAcksIn; ULONG TimeoutEpisodes; UCHAR SynRetrans;
  ULONG SndLimTransRwin; ULONG SndLimTimeRwin; ULONG64 SndLimBytesRwin;
  ULONG SndLimTransCwnd; ULONG SndLimTimeCwnd; ULONG64 SndLimBytesCwnd;
  ULONG SndLimTransSnd; ULONG SndLimTimeSnd; ULONG64 SndLimBytesSnd;
  ULONG OutOfOrderPktsIn; BOOLEAN EcnNegotiated; ULONG EceAcksIn; ULONG PtoEpisodes;
} wsioctl_sdk_TCP_INFO_v2;

/* SOCKET_PROCESSOR_AFFINITY: Windows SDK shared/ws2def.h (_WIN32_WINNT >= 0x0602). */
typedef struct wsioctl_sdk_SOCKET_PROCESSOR_AFFINITY {
  PROCESSOR_NUMBER Processor; USHORT NumaNodeId; USHORT Reserved;
} wsioctl_sdk_SOCKET_PROCESSOR_AFFINITY;

/* RSS_SCALABILITY_INFO: Windows SDK um/mstcpip.h (NTDDI_VISTA and later). */
typedef struct wsioctl_sdk_RSS_SCALABILITY_INFO {
  BOOLEAN RssEnabled;
} wsioctl_sdk_RSS_SCALABILITY_INFO;

/* WSA_COMPATIBILITY_MODE and its enum: Windows SDK shared/mswsockdef.h (_WIN32_WINNT >= 0x0600). */
typedef enum wsioctl_sdk_WSA_COMPATIBILITY_BEHAVIOR_ID {
  wsioctl_WsaBehaviorAll = 0, wsioctl_WsaBehaviorReceiveBuffering, wsioctl_WsaBehaviorAutoTuning
} wsioctl_sdk_WSA_COMPATIBILITY_BEHAVIOR_ID;
typedef struct wsioctl_sdk_WSA_COMPATIBILITY_MODE {
  wsioctl_sdk_WSA_COMPATIBILITY_BEHAVIOR_ID BehaviorId; ULONG TargetOsVersion;
} wsioctl_sdk_WSA_COMPATIBILITY_MODE;
`;

/** STRUCT_LAYOUTS key → the C type expression to test. */
const C_TYPE: Record<string, string> = {
  sockaddr: "struct sockaddr",
  in_addr: "struct in_addr",
  in6_addr: "struct in6_addr",
  sockaddr_in: "struct sockaddr_in",
  sockaddr_in6: "struct sockaddr_in6",
  sockaddr_in6_old: "struct sockaddr_in6_old",
  tcp_keepalive: "struct tcp_keepalive",
  TCP_INFO_v2: "wsioctl_sdk_TCP_INFO_v2",
  SOCKET_PROCESSOR_AFFINITY: "wsioctl_sdk_SOCKET_PROCESSOR_AFFINITY",
  RSS_SCALABILITY_INFO: "wsioctl_sdk_RSS_SCALABILITY_INFO",
  WSA_COMPATIBILITY_MODE: "wsioctl_sdk_WSA_COMPATIBILITY_MODE",
};

/**
 * Members named after the SDK's C++ declaration that are anonymous in C: checked through the
 * first member of the anonymous struct (offset only; its size is that member's).
 */
const C_ANONYMOUS: Record<string, string> = {
  "INET_PORT_RESERVATION_INSTANCE.Reservation": "StartPort",
};

function cType(name: string): string {
  return C_TYPE[name] ?? name;
}

function generate(): { source: string; asserts: number } {
  const lines: string[] = [
    "#include <winsock2.h>",
    "#include <ws2tcpip.h>",
    "#include <mstcpip.h>",
    "#include <mswsock.h>",
    "#include <ws2ipdef.h>",
    "#include <qos.h>",
    "#include <stddef.h>",
    HAND_DECLARED,
    "#define A(cond, msg) _Static_assert(cond, msg)",
  ];
  let asserts = 0;
  const add = (cond: string, msg: string) => {
    lines.push(`A(${cond}, ${JSON.stringify(msg)});`);
    asserts++;
  };
  for (const [name, entry] of Object.entries(S.STRUCT_LAYOUTS)) {
    const t = cType(name);
    add(`sizeof(${t}) == ${entry.size}`, `sizeof(${name}) == ${entry.size}`);
    add(`_Alignof(${t}) == ${entry.align}`, `_Alignof(${name}) == ${entry.align}`);
    for (const [field, f] of Object.entries(entry.fields)) {
      const alias = C_ANONYMOUS[`${name}.${field}`];
      const member = alias ?? field;
      add(
        `offsetof(${t}, ${member}) == ${f.offset}`,
        `offsetof(${name}, ${field}) == ${f.offset}`,
      );
      if (alias === undefined) {
        add(
          `sizeof(((${t} *)0)->${member}) == ${f.size}`,
          `sizeof(${name}.${field}) == ${f.size}`,
        );
      }
    }
  }
  // Constants re-exported by wsioctl, checked against the headers' own values.
  const consts: [string, number][] = [
    ["AF_INET", S.AF_INET],
    ["AF_INET6", S.AF_INET6],
    ["AF_UNSPEC", S.AF_UNSPEC],
    ["IFF_UP", S.IFF_UP],
    ["IFF_BROADCAST", S.IFF_BROADCAST],
    ["IFF_LOOPBACK", S.IFF_LOOPBACK],
    ["IFF_POINTTOPOINT", S.IFF_POINTTOPOINT],
    ["IFF_MULTICAST", S.IFF_MULTICAST],
    ["TIMESTAMPING_FLAG_RX", S.TIMESTAMPING_FLAG_RX],
    ["TIMESTAMPING_FLAG_TX", S.TIMESTAMPING_FLAG_TX],
    ["TCP_INITIAL_RTO_UNSPECIFIED_RTT", S.TCP_INITIAL_RTO_UNSPECIFIED_RTT],
    [
      "TCP_INITIAL_RTO_UNSPECIFIED_MAX_SYN_RETRANSMISSIONS",
      S.TCP_INITIAL_RTO_UNSPECIFIED_MAX_SYN_RETRANSMISSIONS,
    ],
    ["TCP_INITIAL_RTO_DEFAULT_RTT", S.TCP_INITIAL_RTO_DEFAULT_RTT],
    [
      "TCP_INITIAL_RTO_DEFAULT_MAX_SYN_RETRANSMISSIONS",
      S.TCP_INITIAL_RTO_DEFAULT_MAX_SYN_RETRANSMISSIONS,
    ],
    ["TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS", S.TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS],
    ["QOS_NOT_SPECIFIED", S.QOS_NOT_SPECIFIED],
    ["POSITIVE_INFINITY_RATE", S.POSITIVE_INFINITY_RATE],
    ...Object.entries(S.TCPSTATE).map(([k, v]) => [`TCPSTATE_${k}`, v] as [string, number]),
    ...Object.entries(S.TCP_ICW_LEVEL).map(([k, v]) =>
      [`TCP_ICW_LEVEL_${k}`, v] as [
        string,
        number,
      ]
    ),
    ...Object.entries(S.RCVALL_VALUE),
    ...Object.entries(S.PRIORITY_HINT),
    ...Object.entries(S.SERVICETYPE).map(([k, v]) => [`SERVICETYPE_${k}`, v] as [string, number]),
    ...Object.entries(S.CONTROL_CHANNEL_TRIGGER_STATUS).map(([k, v]) =>
      [`CONTROL_CHANNEL_TRIGGER_STATUS_${k}`, v] as [string, number]
    ),
  ];
  for (const [c, v] of consts) {
    add(`(unsigned long long)(${c}) == ${v}ULL`, `${c} == ${v}`);
  }
  return { source: lines.join("\n") + "\n", asserts };
}

function compile(source: string): void {
  const result = compileC(source, ["-std=c11", "-Werror"]);
  if (!result.ok) throw new Error(`C layout proof failed:\n${result.stderr}`);
}

describe("STRUCT_LAYOUTS against the Windows headers", () => {
  test("the compiler is present in CI", () => {
    if (IN_CI) assert.ok(HAVE_CC, `${CC} is required in CI`);
  });

  test("every struct the brief lists is in STRUCT_LAYOUTS", () => {
    for (
      const n of [
        "tcp_keepalive",
        "TCP_INFO_v0",
        "TCP_INFO_v1",
        "TCP_INFO_v2",
        "TIMESTAMPING_CONFIG",
        "INTERFACE_INFO",
        "sockaddr_gen",
        "INTERFACE_INFO_EX",
        "SOCKET_ADDRESS",
        "SOCKET_ADDRESS_LIST",
        "sockaddr",
        "sockaddr_in",
        "sockaddr_in6",
        "SOCKADDR_STORAGE",
        "SOCKADDR_INET",
        "GUID",
        "SOCKET_PROCESSOR_AFFINITY",
        "PROCESSOR_NUMBER",
        "RSS_SCALABILITY_INFO",
        "WSA_COMPATIBILITY_MODE",
        "TCP_INITIAL_RTO_PARAMETERS",
        "INET_PORT_RANGE",
        "INET_PORT_RESERVATION_INSTANCE",
        "INET_PORT_RESERVATION_TOKEN",
        "INET_PORT_RESERVATION_INFORMATION",
        "PRIORITY_HINT",
        "RCVALL_VALUE",
        "RCVALL_IF",
        "TRANSPORT_SETTING_ID",
        "REAL_TIME_NOTIFICATION_SETTING_INPUT",
        "REAL_TIME_NOTIFICATION_SETTING_INPUT_EX",
        "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
        "FLOWSPEC",
        "QOS",
        "QOS_OBJECT_HDR",
        "TCP_ICW_PARAMETERS",
        "TCP_ACK_FREQUENCY_PARAMETERS",
      ]
    ) {
      assert.ok(Object.hasOwn(S.STRUCT_LAYOUTS, n), `${n} missing`);
    }
  });

  test("the generated C file compiles: every size, alignment and offset matches", {
    skip: SKIP,
  }, () => {
    const { source, asserts } = generate();
    assert.ok(asserts > 300, `only ${asserts} asserts generated`);
    compile(source);
  });

  test("the proof can fail: a wrong offset is rejected by the compiler", { skip: SKIP }, () => {
    const { source } = generate();
    const broken = source.replace(
      "offsetof(TCP_INFO_v0, RttUs) == 20",
      "offsetof(TCP_INFO_v0, RttUs) == 24",
    );
    assert.notEqual(broken, source);
    assert.throws(() => compile(broken), /C layout proof failed/);
  });

  test("extension-function GUIDs equal the WSAID_* macros of mswsock.h", { skip: SKIP }, () => {
    const defs = execFileSync(CC, ["-E", "-dM", ...DEFINES, "-x", "c", "-"], {
      input: "#include <winsock2.h>\n#include <mswsock.h>\n",
      stdio: "pipe",
      maxBuffer: 256 * 1024 * 1024,
    }).toString();
    const macro = (name: string): string => {
      const m = new RegExp(`^#define ${name} (\\{.*\\})\\s*$`, "m").exec(defs);
      assert.ok(m, `${name} not defined`);
      const nums = m[1].match(/0x[0-9a-fA-F]+/g)!.map((h) => parseInt(h, 16));
      assert.equal(nums.length, 11);
      const h = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, "0");
      return `{${h(nums[0], 8)}-${h(nums[1], 4)}-${h(nums[2], 4)}-${h(nums[3], 2)}${
        h(nums[4], 2)
      }-${nums.slice(5).map((v) => h(v, 2)).join("")}}`;
    };
    const table: Record<string, string> = {
      AcceptEx: "WSAID_ACCEPTEX",
      ConnectEx: "WSAID_CONNECTEX",
      DisconnectEx: "WSAID_DISCONNECTEX",
      GetAcceptExSockaddrs: "WSAID_GETACCEPTEXSOCKADDRS",
      TransmitFile: "WSAID_TRANSMITFILE",
      TransmitPackets: "WSAID_TRANSMITPACKETS",
      WSARecvMsg: "WSAID_WSARECVMSG",
      WSASendMsg: "WSAID_WSASENDMSG",
    };
    assert.deepEqual(Object.keys(S.EXTENSION_FUNCTION_GUIDS).sort(), Object.keys(table).sort());
    for (const [fn, m] of Object.entries(table)) {
      assert.equal(S.EXTENSION_FUNCTION_GUIDS[fn as S.ExtensionFunctionName], macro(m), fn);
    }
  });
});
