// Proves every value of the generated code table against a C compiler and the mingw-w64 headers
// (which follow the Windows SDK). Names that mingw-w64 10 lacks are compiled from their SDK macro
// text, which the C preprocessor evaluates with mingw's own _WSAIOW/_IOR macros.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatCode, IOCTLS } from "../codes/mod.ts";
import { IOCTL_SPECS } from "../codes/spec.ts";
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

  test("a wrong value is caught (the proof can fail)", { skip }, () => {
    const result = compileC(
      `${includes}\n_Static_assert((unsigned)(FIONREAD) == 0x4004667Eu, "FIONREAD");\n`,
    );
    assert.equal(result.ok, false);
    assert.match(result.stderr, /FIONREAD/);
  });
});
