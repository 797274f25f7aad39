// Proves every value of the generated code table against a C compiler and the mingw-w64 headers
// (which follow the Windows SDK). Names that mingw-w64 10 lacks are compiled from their SDK macro
// text, which the C preprocessor evaluates with mingw's own _WSAIOW/_IOR macros.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatCode, IOCTLS } from "../codes/mod.ts";
import { BUFFER_SIZES, IOCTL_SPECS } from "../codes/spec.ts";
import { compileC, mingwUnavailable } from "./_helpers/mingw.ts";

const HEADERS = [
  "winsock2.h",
  "ws2tcpip.h",
  "mswsock.h",
  "mstcpip.h",
  "afunix.h",
  "ws2atm.h",
  "ws2bth.h",
  "qos.h",
  "qossp.h",
];

/**
 * Names the mingw-w64 10 headers do not define (with the defines above), and the SDK header the
 * value was checked against. SIO_SOCKET_CLOSE_NOTIFY exists in mingw's mswsock.h but only for
 * 0x0501 <= _WIN32_WINNT < 0x0600, exactly as in the SDK.
 */
const MINGW_MISSING: Record<string, string> = {
  SIOCGIPMSFILTER: "ws2ipdef.h: #define SIOCGIPMSFILTER SIO_GET_MULTICAST_FILTER",
  SIOCGMSFILTER: "ws2ipdef.h: #define SIOCGMSFILTER _IOW('t', 127 | IOC_IN, ULONG)",
  SIOCSIPMSFILTER: "ws2ipdef.h: #define SIOCSIPMSFILTER SIO_SET_MULTICAST_FILTER",
  SIOCSMSFILTER: "ws2ipdef.h: #define SIOCSMSFILTER _IOW('t', 126, ULONG)",
  SIO_AF_UNIX_SETBINDPARENTPATH: "afunix.h: _WSAIOW(IOC_VENDOR, 257)",
  SIO_AF_UNIX_SETCONNPARENTPATH: "afunix.h: _WSAIOW(IOC_VENDOR, 258)",
  SIO_DELETE_PEER_TARGET_NAME: "mstcpip.h: _WSAIOW(IOC_VENDOR, 203)",
  SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER: "ws2def.h: _WSAIORW(IOC_WS2,36)",
  SIO_IDEAL_SEND_BACKLOG_CHANGE: "ws2ipdef.h: _IO('t', 122)",
  SIO_IDEAL_SEND_BACKLOG_QUERY: "ws2ipdef.h: _IOR('t', 123, ULONG)",
  SIO_QUERY_RSS_PROCESSOR_INFO: "ws2def.h: _WSAIOR(IOC_WS2,37)",
  SIO_QUERY_RSS_SCALABILITY_INFO: "mstcpip.h: _WSAIOR(IOC_VENDOR, 210)",
  SIO_QUERY_SECURITY: "mstcpip.h: _WSAIORW(IOC_VENDOR, 201)",
  SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE: "mstcpip.h: _WSAIOR(IOC_VENDOR, 205)",
  SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT: "mstcpip.h: _WSAIOW(IOC_VENDOR, 221)",
  SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS: "mstcpip.h: _WSAIOW(IOC_VENDOR, 220)",
  SIO_SET_COMPATIBILITY_MODE: "mswsockdef.h: _WSAIOW(IOC_VENDOR,300)",
  SIO_SET_PEER_TARGET_NAME: "mstcpip.h: _WSAIOW(IOC_VENDOR, 202)",
  SIO_SET_SECURITY: "mstcpip.h: _WSAIOW(IOC_VENDOR, 200)",
  SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS: "mstcpip.h: _WSAIOW(IOC_VENDOR, 222)",
  SIO_SOCKET_CLOSE_NOTIFY: "mswsock.h: _WSAIOW(IOC_VENDOR,13), only for XP SP2 / 2003 SP1 builds",
  SIO_SOCKET_USAGE_NOTIFICATION: "mstcpip.h: _WSAIOW(IOC_VENDOR, 204)",
  SIO_UDP_NETRESET: "mswsock.h: _WSAIOW(IOC_VENDOR,15)",
};

/** The C type of every fixed buffer size of BUFFER_SIZES that the mingw-w64 headers define. */
const C_TYPES: Record<string, string> = {
  u_long: "u_long",
  ULONG: "ULONG",
  "ULONG process id": "ULONG",
  BOOL: "BOOL",
  int: "int",
  DWORD: "DWORD",
  "DWORD version": "DWORD",
  "DWORD query": "DWORD",
  "DWORD result": "DWORD",
  "DWORD device": "DWORD",
  "interface index": "DWORD",
  "UINT32 timestamp id": "UINT32",
  "UINT64 timestamp": "UINT64",
  "UINT64 endpoint handle": "UINT64",
  "USHORT processor index": "USHORT",
  SOCKET: "SOCKET",
  HANDLE: "HANDLE",
  "function pointer": "FARPROC",
  GUID: "GUID",
  WSACOMPLETION: "WSACOMPLETION",
  RCVALL_VALUE: "RCVALL_VALUE",
  RCVALL_IF: "RCVALL_IF",
  tcp_keepalive: "struct tcp_keepalive",
  TCP_INITIAL_RTO_PARAMETERS: "TCP_INITIAL_RTO_PARAMETERS",
  TCP_ICW_PARAMETERS: "TCP_ICW_PARAMETERS",
  TCP_ACK_FREQUENCY_PARAMETERS: "TCP_ACK_FREQUENCY_PARAMETERS",
  SOCKET_PRIORITY_HINT: "SOCKET_PRIORITY_HINT",
  TIMESTAMPING_CONFIG: "TIMESTAMPING_CONFIG",
  TRANSPORT_SETTING_ID: "TRANSPORT_SETTING_ID",
  REAL_TIME_NOTIFICATION_SETTING_OUTPUT: "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
  INET_PORT_RANGE: "INET_PORT_RANGE",
  INET_PORT_RESERVATION_TOKEN: "INET_PORT_RESERVATION_TOKEN",
  INET_PORT_RESERVATION_INSTANCE: "INET_PORT_RESERVATION_INSTANCE",
  SOCKET_USAGE_TYPE: "SOCKET_USAGE_TYPE",
  ATM_ADDRESS: "ATM_ADDRESS",
  ATM_CONNECTION_ID: "ATM_CONNECTION_ID",
  ATM_PVC_PARAMS: "ATM_PVC_PARAMS",
  RFCOMM_COMMAND: "RFCOMM_COMMAND",
};

/** Fixed sizes of structs mingw-w64 10 lacks; tests/codes_test.ts checks them against STRUCT_LAYOUTS. */
const NOT_IN_MINGW = [
  "SOCKET_PROCESSOR_AFFINITY",
  "WSA_COMPATIBILITY_MODE",
  "RSS_SCALABILITY_INFO",
];

/** Every number a variable size states, with the C expression it must equal. */
const VARIABLE_PARTS: [type: string, expr: string, bytes: number][] = [
  ["sockaddr", "sizeof(struct sockaddr_in)", 16],
  ["sockaddr", "sizeof(struct sockaddr_in6)", 28],
  ["QOS", "sizeof(QOS)", 80],
  ["SOCKET_ADDRESS_LIST", "offsetof(SOCKET_ADDRESS_LIST, Address)", 8],
  ["SOCKET_ADDRESS_LIST", "sizeof(SOCKET_ADDRESS)", 16],
  ["GUID[]", "sizeof(GUID)", 16],
  ["function pointer[]", "sizeof(FARPROC)", 8],
  ["INTERFACE_INFO[]", "sizeof(INTERFACE_INFO)", 76],
  ["INTERFACE_INFO_EX[]", "sizeof(INTERFACE_INFO_EX)", 56],
  ["ip_msfilter", "IP_MSFILTER_SIZE(0)", 16],
  ["ip_msfilter", "IP_MSFILTER_SIZE(1) - IP_MSFILTER_SIZE(0)", 4],
  ["GROUP_FILTER", "offsetof(GROUP_FILTER, gf_slist)", 144],
  ["GROUP_FILTER", "sizeof(SOCKADDR_STORAGE)", 128],
  ["TCP_INFO_v0 / TCP_INFO_v1 / TCP_INFO_v2", "sizeof(TCP_INFO_v0)", 88],
  ["TCP_INFO_v0 / TCP_INFO_v1 / TCP_INFO_v2", "sizeof(TCP_INFO_v1)", 136],
  ["TRANSPORT_SETTING_ID + setting", "sizeof(TRANSPORT_SETTING_ID)", 16],
  ["TRANSPORT_SETTING_ID + setting", "sizeof(REAL_TIME_NOTIFICATION_SETTING_INPUT)", 32],
  ["SOCKET_SECURITY_SETTINGS", "sizeof(SOCKET_SECURITY_SETTINGS)", 8],
  ["SOCKET_SECURITY_SETTINGS", "offsetof(SOCKET_SECURITY_SETTINGS_IPSEC, AllStrings)", 84],
  ["SOCKET_SECURITY_QUERY_TEMPLATE", "sizeof(SOCKET_SECURITY_QUERY_TEMPLATE)", 144],
  ["SOCKET_SECURITY_QUERY_INFO", "sizeof(SOCKET_SECURITY_QUERY_INFO)", 24],
  ["SOCKET_PEER_TARGET_NAME", "offsetof(SOCKET_PEER_TARGET_NAME, AllStrings)", 140],
];

/** The entries whose own size replaces their type's, with the C expression it must equal. */
const OWN_SIZES: Record<string, string> = {
  "SIO_GET_BROADCAST_ADDRESS output": "sizeof(struct sockaddr_in)",
};

const includes = HEADERS.map((h) => `#include <${h}>`).join("\n");
const hex = (v: number) => formatCode(v) + "u";

describe("code table against x86_64-w64-mingw32-gcc", () => {
  const skip = mingwUnavailable();

  test("mingw-w64 lacks exactly the names listed with their SDK source", { skip }, () => {
    const probe = includes + "\n" +
      IOCTLS.map((i) => `#ifndef ${i.name}\n#warning WSIOCTL_MISSING ${i.name}\n#endif`).join("\n");
    // Turn the probe's #warning lines into errors so that their text comes back.
    const result = compileC(probe, ["-Werror=cpp"]);
    const missing = [
      ...new Set(
        [...result.stderr.matchAll(/WSIOCTL_MISSING (\w+)/g)].map((m) => m[1]),
      ),
    ].sort();
    console.log(`names mingw-w64 lacks (checked from SDK macro text): ${missing.join(", ")}`);
    assert.deepEqual(missing, Object.keys(MINGW_MISSING).sort());
  });

  test("every value equals the header's definition", { skip }, () => {
    const lines = [includes];
    const specByName = new Map(IOCTL_SPECS.map((s) => [s.name, s]));
    // First the SDK definitions of the names mingw lacks, written from the spec's macro text.
    for (const name of Object.keys(MINGW_MISSING)) {
      const spec = specByName.get(name);
      assert.ok(spec, `${name} is in the table`);
      const def = "aliasOf" in spec.macro ? spec.macro.aliasOf : spec.macro.text;
      lines.push(`#ifndef ${name}\n#define ${name} ${def}\n#endif`);
    }
    for (const info of IOCTLS) {
      lines.push(`_Static_assert((unsigned)(${info.name}) == ${hex(info.value)}, "${info.name}");`);
    }
    const result = compileC(lines.join("\n") + "\n");
    assert.equal(result.ok, true, result.stderr);
    assert.equal(lines.length, 1 + Object.keys(MINGW_MISSING).length + IOCTLS.length);
  });

  test("every buffer size of the table equals the header's sizeof / offsetof", { skip }, () => {
    const lines = [includes, "#include <stddef.h>"];
    let numeric = 0;
    for (const [type, size] of Object.entries(BUFFER_SIZES)) {
      if (typeof size !== "number") continue;
      numeric++;
      if (NOT_IN_MINGW.includes(type)) continue;
      assert.ok(Object.hasOwn(C_TYPES, type), `no C type for ${type} (${size} bytes)`);
      lines.push(`_Static_assert(sizeof(${C_TYPES[type]}) == ${size}, "${type}");`);
    }
    assert.equal(lines.length, 2 + numeric - NOT_IN_MINGW.length);
    for (const [type, expr, bytes] of VARIABLE_PARTS) {
      const text = String(BUFFER_SIZES[type]);
      assert.match(text, new RegExp(`(^|\\D)${bytes}(\\D|$)`), `${type}: ${text} lacks ${bytes}`);
      lines.push(`_Static_assert(${expr} == ${bytes}, "${type}: ${expr}");`);
    }
    const own = IOCTL_SPECS.flatMap((spec) =>
      (["input", "output"] as const).flatMap((side) => {
        const size = side === "input" ? spec.inputSize : spec.outputSize;
        return typeof size === "number" ? [[`${spec.name} ${side}`, size] as const] : [];
      })
    );
    assert.deepEqual(own.map(([key]) => key).sort(), Object.keys(OWN_SIZES).sort());
    for (const [key, size] of own) {
      lines.push(`_Static_assert(${OWN_SIZES[key]} == ${size}, "${key}");`);
    }
    const result = compileC(lines.join("\n") + "\n");
    assert.equal(result.ok, true, result.stderr);
  });

  test("a wrong buffer size is caught (the size proof can fail)", { skip }, () => {
    const result = compileC(
      `${includes}\n_Static_assert(sizeof(struct tcp_keepalive) == 16, "ka");\n`,
    );
    assert.equal(result.ok, false);
    assert.match(result.stderr, /ka/);
  });

  test("a wrong value is caught (the proof can fail)", { skip }, () => {
    const result = compileC(
      `${includes}\n_Static_assert((unsigned)(FIONREAD) == 0x4004667Eu, "FIONREAD");\n`,
    );
    assert.equal(result.ok, false);
    assert.match(result.stderr, /FIONREAD/);
  });
});
