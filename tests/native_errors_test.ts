// The error classes: every WSA code of winerror.h named, WinsockError / UnsupportedError /
// SocketClosedError shapes and messages, unmapped errnos and their names. Pure: no native call.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import {
  errnoName,
  SocketClosedError,
  UNMAPPED_ERRNO_BASE,
  unmappedErrno,
  UnsupportedError,
  WinsockError,
  WSA_ERRORS,
  wsaErrorName,
} from "../errors.ts";
import * as wsa from "../_wsa.ts";

// winerror.h, in order: the WSA* socket error codes.
const WINERROR_H: [number, string][] = [
  [10004, "WSAEINTR"],
  [10009, "WSAEBADF"],
  [10013, "WSAEACCES"],
  [10014, "WSAEFAULT"],
  [10022, "WSAEINVAL"],
  [10024, "WSAEMFILE"],
  [10035, "WSAEWOULDBLOCK"],
  [10036, "WSAEINPROGRESS"],
  [10037, "WSAEALREADY"],
  [10038, "WSAENOTSOCK"],
  [10039, "WSAEDESTADDRREQ"],
  [10040, "WSAEMSGSIZE"],
  [10041, "WSAEPROTOTYPE"],
  [10042, "WSAENOPROTOOPT"],
  [10043, "WSAEPROTONOSUPPORT"],
  [10044, "WSAESOCKTNOSUPPORT"],
  [10045, "WSAEOPNOTSUPP"],
  [10046, "WSAEPFNOSUPPORT"],
  [10047, "WSAEAFNOSUPPORT"],
  [10048, "WSAEADDRINUSE"],
  [10049, "WSAEADDRNOTAVAIL"],
  [10050, "WSAENETDOWN"],
  [10051, "WSAENETUNREACH"],
  [10052, "WSAENETRESET"],
  [10053, "WSAECONNABORTED"],
  [10054, "WSAECONNRESET"],
  [10055, "WSAENOBUFS"],
  [10056, "WSAEISCONN"],
  [10057, "WSAENOTCONN"],
  [10058, "WSAESHUTDOWN"],
  [10059, "WSAETOOMANYREFS"],
  [10060, "WSAETIMEDOUT"],
  [10061, "WSAECONNREFUSED"],
  [10062, "WSAELOOP"],
  [10063, "WSAENAMETOOLONG"],
  [10064, "WSAEHOSTDOWN"],
  [10065, "WSAEHOSTUNREACH"],
  [10066, "WSAENOTEMPTY"],
  [10067, "WSAEPROCLIM"],
  [10068, "WSAEUSERS"],
  [10069, "WSAEDQUOT"],
  [10070, "WSAESTALE"],
  [10071, "WSAEREMOTE"],
  [10091, "WSASYSNOTREADY"],
  [10092, "WSAVERNOTSUPPORTED"],
  [10093, "WSANOTINITIALISED"],
  [10101, "WSAEDISCON"],
  [10102, "WSAENOMORE"],
  [10103, "WSAECANCELLED"],
  [10104, "WSAEINVALIDPROCTABLE"],
  [10105, "WSAEINVALIDPROVIDER"],
  [10106, "WSAEPROVIDERFAILEDINIT"],
  [10107, "WSASYSCALLFAILURE"],
  [10108, "WSASERVICE_NOT_FOUND"],
  [10109, "WSATYPE_NOT_FOUND"],
  [10110, "WSA_E_NO_MORE"],
  [10111, "WSA_E_CANCELLED"],
  [10112, "WSAEREFUSED"],
  [11001, "WSAHOST_NOT_FOUND"],
  [11002, "WSATRY_AGAIN"],
  [11003, "WSANO_RECOVERY"],
  [11004, "WSANO_DATA"],
  [11005, "WSA_QOS_RECEIVERS"],
  [11006, "WSA_QOS_SENDERS"],
  [11007, "WSA_QOS_NO_SENDERS"],
  [11008, "WSA_QOS_NO_RECEIVERS"],
  [11009, "WSA_QOS_REQUEST_CONFIRMED"],
  [11010, "WSA_QOS_ADMISSION_FAILURE"],
  [11011, "WSA_QOS_POLICY_FAILURE"],
  [11012, "WSA_QOS_BAD_STYLE"],
  [11013, "WSA_QOS_BAD_OBJECT"],
  [11014, "WSA_QOS_TRAFFIC_CTRL_ERROR"],
  [11015, "WSA_QOS_GENERIC_ERROR"],
  [11016, "WSA_QOS_ESERVICETYPE"],
  [11017, "WSA_QOS_EFLOWSPEC"],
  [11018, "WSA_QOS_EPROVSPECBUF"],
  [11019, "WSA_QOS_EFILTERSTYLE"],
  [11020, "WSA_QOS_EFILTERTYPE"],
  [11021, "WSA_QOS_EFILTERCOUNT"],
  [11022, "WSA_QOS_EOBJLENGTH"],
  [11023, "WSA_QOS_EFLOWCOUNT"],
  [11024, "WSA_QOS_EUNKOWNPSOBJ"],
  [11025, "WSA_QOS_EPOLICYOBJ"],
  [11026, "WSA_QOS_EFLOWDESC"],
  [11027, "WSA_QOS_EPSFLOWSPEC"],
  [11028, "WSA_QOS_EPSFILTERSPEC"],
  [11029, "WSA_QOS_ESDMODEOBJ"],
  [11030, "WSA_QOS_ESHAPERATEOBJ"],
  [11031, "WSA_QOS_RESERVED_PETYPE"],
];

describe("errors", () => {
  test("every WSA code of winerror.h is named, with a message", () => {
    for (const [code, name] of WINERROR_H) {
      assert.equal(wsaErrorName(code), name, String(code));
      assert.ok(WSA_ERRORS[code].message.length > 0);
      const e = new WinsockError(code);
      assert.equal(e.name, name);
      assert.equal(e.code, code);
    }
    assert.equal(wsaErrorName(997), "WSA_IO_PENDING");
    assert.equal(wsaErrorName(6), "WSA_INVALID_HANDLE");
    assert.equal(wsaErrorName(12345), undefined);
    assert.equal(wsaErrorName("toString" as unknown as number), undefined);
  });

  test("the library's own named WSA numbers (_wsa.ts) are winerror.h's", () => {
    const winerror = new Map<string, number>([
      ...WINERROR_H.map(([code, name]) => [name, code] as [string, number]),
      ["WSA_INVALID_HANDLE", 6], // ERROR_INVALID_HANDLE
      ["WSA_IO_PENDING", 997], // ERROR_IO_PENDING
      ["WSA_OPERATION_ABORTED", 995], // ERROR_OPERATION_ABORTED
    ]);
    const names = Object.keys(wsa);
    assert.ok(names.length >= 14, names.join(", "));
    for (const name of names) {
      assert.equal(wsa[name as keyof typeof wsa], winerror.get(name), name);
    }
  });

  test("WinsockError carries the code, name, call and IOCTL", () => {
    const e = new WinsockError(10014, { call: "WSAIoctl", ioctl: "FIONREAD" });
    assert.ok(e instanceof Error);
    assert.equal(e.name, "WSAEFAULT");
    assert.equal(e.code, 10014);
    assert.equal(e.call, "WSAIoctl");
    assert.equal(e.ioctl, "FIONREAD");
    assert.equal(e.message, "WSAIoctl(FIONREAD) failed: WSAEFAULT (10014): bad address");
    assert.equal(
      new WinsockError(10061, { call: "connect" }).message,
      "connect failed: WSAECONNREFUSED (10061): connection refused",
    );
    const unknown = new WinsockError(42);
    assert.equal(unknown.name, "WinsockError");
    assert.equal(unknown.message, "socket call failed: error 42 (42): unknown error");
    const cause = new Error("inner");
    assert.equal(new WinsockError(10022, { cause }).cause, cause);
  });

  test("an unmapped errno keeps its own identity: code, errno, name, message", () => {
    const e = new WinsockError(UNMAPPED_ERRNO_BASE + 35, { call: "connect", platform: "linux" });
    assert.ok(e instanceof WinsockError);
    assert.equal(e.code, UNMAPPED_ERRNO_BASE + 35);
    assert.equal(e.errno, 35);
    assert.equal(e.name, "EDEADLK");
    assert.equal(e.message, "connect failed: unmapped errno 35 (EDEADLK)");
    assert.equal(e.call, "connect");
    // the same number is another errno on macOS
    assert.equal(new WinsockError(UNMAPPED_ERRNO_BASE + 35, { platform: "darwin" }).name, "EAGAIN");
    // a number without a name
    const anon = new WinsockError(UNMAPPED_ERRNO_BASE + 999, { call: "recv", platform: "linux" });
    assert.equal(anon.name, "ERRNO_999");
    assert.equal(anon.errno, 999);
    assert.equal(anon.message, "recv failed: unmapped errno 999 (ERRNO_999)");
    // WSA codes carry no errno, and are never taken for one
    assert.equal(new WinsockError(10035).errno, undefined);
    assert.equal(new WinsockError(10035).name, "WSAEWOULDBLOCK");
    assert.equal(wsaErrorName(UNMAPPED_ERRNO_BASE + 35), undefined);
    // the default platform is the one running the test
    const host = (globalThis as { Deno?: { build: { os: string } } }).Deno?.build.os ??
      process.platform;
    assert.equal(
      new WinsockError(UNMAPPED_ERRNO_BASE + 71).name,
      errnoName(71, host) ?? "ERRNO_71",
    );
  });

  test("unmappedErrno and errnoName", () => {
    assert.equal(UNMAPPED_ERRNO_BASE, 0x20000000);
    assert.equal(unmappedErrno(UNMAPPED_ERRNO_BASE + 61), 61);
    for (const code of [0, 10035, 10061, 11001, UNMAPPED_ERRNO_BASE, UNMAPPED_ERRNO_BASE + 0.5]) {
      assert.equal(unmappedErrno(code), undefined, String(code));
    }
    for (
      const [errno, platform, name] of [
        [35, "linux", "EDEADLK"],
        [61, "linux", "ENODATA"],
        [71, "linux", "EPROTO"],
        [95, "linux", "EOPNOTSUPP"],
        [11, "linux", "EAGAIN"],
        [133, "linux", "EHWPOISON"],
        [11, "darwin", "EDEADLK"],
        [45, "darwin", "ENOTSUP"],
        [89, "darwin", "ECANCELED"],
        [102, "darwin", "EOPNOTSUPP"],
        [106, "darwin", "EQFULL"],
        [45, "freebsd", "EOPNOTSUPP"],
        [85, "freebsd", "ECANCELED"],
        [97, "freebsd", "EINTEGRITY"],
        [60, "openbsd", "ETIMEDOUT"],
      ] as const
    ) {
      assert.equal(errnoName(errno, platform), name, `${platform} ${errno}`);
    }
    for (
      const [errno, platform] of [
        [41, "linux"], // unused
        [58, "linux"], // unused
        [134, "linux"],
        [107, "darwin"],
        [98, "freebsd"],
        [82, "openbsd"], // past what the BSD family shares
        [0, "linux"],
        [-1, "linux"],
        [1.5, "linux"],
        [22, "windows"],
      ] as const
    ) {
      assert.equal(errnoName(errno, platform), undefined, `${platform} ${errno}`);
    }
  });

  test("UnsupportedError names the code and the platform", () => {
    const e = new UnsupportedError("SIO_TCP_INFO", "linux", 0xd8000027);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "UnsupportedError");
    assert.equal(e.code, 0xd8000027);
    assert.equal(e.ioctl, "SIO_TCP_INFO");
    assert.equal(e.platform, "linux");
    // One hex spelling in every message (formatCode): upper-case digits after "0x".
    assert.equal(e.message, "SIO_TCP_INFO (0xD8000027) is unsupported on linux");
    assert.equal(
      new UnsupportedError("WSAEventSelect", "darwin").message,
      "WSAEventSelect is unsupported on darwin",
    );
  });

  test("SocketClosedError", () => {
    const e = new SocketClosedError("send");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "SocketClosedError");
    assert.equal(e.message, "send: socket is closed");
  });
});
