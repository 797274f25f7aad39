// sio/interfaces.ts over the recording fake of the native layer: SIO_GET_INTERFACE_LIST(_EX) and
// SIO_ADDRESS_LIST_QUERY byte for byte (codes written out, no input, the first output length),
// the decoding of outputs built here from the SDK's offsets (never through the struct views),
// hostile outputs (a clear Error, nothing read outside the bytes written), and the size dance:
// a machine with 500 addresses, and the bound on retries.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import type { NativeApi } from "../ffi/native.ts";
import * as sio from "../sio/mod.ts";
import { le, sockaddrIn as sin, sockaddrIn6 as sin6 } from "./_helpers/bytes.ts";
import {
  type IoctlAnswer,
  type RecordingApi,
  recordingApi,
  withFake,
} from "./_helpers/recording_api.ts";
import { expected, shape } from "./_helpers/sio_record.ts";

/** Where the fake says the buffer handed to the last WSAIoctl lives. */
const BASE = 0x10000n;

const FE80_1 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const DB8 = (n: number) => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n >> 8, n & 0xff];

/** One INTERFACE_INFO (76 bytes): iiFlags at 0x00, sockaddr_gen at 0x04, 0x1C and 0x34. */
function info(flags: number, address: Uint8Array, broadcast: Uint8Array, netmask: Uint8Array) {
  const b = le(76, [0, 4, flags]);
  b.set(address, 0x04);
  b.set(broadcast, 0x1c);
  b.set(netmask, 0x34);
  return b;
}
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
};

/** A SOCKET_ADDRESS_LIST: iAddressCount at 0, Address[i] {lpSockaddr, iSockaddrLength} at 8+16i,
 * then the sockaddrs, pointed to from `base`. */
function addressListBytes(addrs: Uint8Array[], base = BASE): Uint8Array {
  let at = 8 + 16 * addrs.length;
  const entries = addrs.map((a) => {
    const e = le(16, [0, 8, base + BigInt(at)], [8, 4, a.length]);
    at += a.length;
    return e;
  });
  return concat([le(8, [0, 4, addrs.length]), ...entries, ...addrs]);
}

/**
 * A fake whose WSAIoctl answers with `respond(outLength)` (bytes to write, or an answer), and
 * whose bufferAddress gives {@link BASE} only for the very buffer the last WSAIoctl received.
 */
function listFake(respond: (outLength: number) => Uint8Array | IoctlAnswer): RecordingApi {
  const fake = recordingApi();
  let last: ArrayBufferLike | undefined;
  const api = fake.api as {
    wsaIoctl: NativeApi["wsaIoctl"];
    bufferAddress: NativeApi["bufferAddress"];
  };
  const recorded = api.wsaIoctl;
  api.wsaIoctl = (s, code, input, inLength, output, outLength) => {
    last = output?.buffer;
    return recorded(s, code, input, inLength, output, outLength);
  };
  api.bufferAddress = (view) => view.buffer === last ? BASE : 0x7700000n;
  fake.answer = (call, output) => {
    const r = respond(call.outLength);
    if (!(r instanceof Uint8Array)) return r;
    output!.set(r.subarray(0, Math.min(r.length, call.outLength)));
    return r.length;
  };
  return fake;
}

/** What `fn` returns or throws over a {@link listFake}, and the output lengths it tried. */
async function run<T>(fn: () => T, respond: (outLength: number) => Uint8Array | IoctlAnswer) {
  const fake = listFake(respond);
  let result: T | undefined;
  let error: unknown;
  await withFake(fake, () => {
    try {
      result = fn();
    } catch (e) {
      error = e;
    }
  });
  return { fake, result, error, sizes: fake.calls.map((c) => c.outLength) };
}

/** Asserts `error` is the clear Error of a malformed answer, naming the call and the IOCTL. */
function assertMalformed(error: unknown, call: string, ioctl: string, detail: RegExp): void {
  assert.ok(error instanceof Error && !(error instanceof WinsockError), String(error));
  assert.equal(error.constructor, Error);
  assert.ok(error.message.startsWith(`${call}: WSAIoctl(${ioctl}) answered malformed output: `));
  assert.match(error.message, detail);
}

const LO = info(
  0x1 | 0x4 | 0x10,
  sin([127, 0, 0, 1]),
  sin([127, 255, 255, 255]),
  sin([255, 0, 0, 0]),
);
const ETH = info(
  0x1 | 0x2 | 0x10,
  sin([192, 168, 1, 10]),
  sin([192, 168, 1, 255]),
  sin([255, 255, 255, 0]),
);

describe("sio interfaceList: SIO_GET_INTERFACE_LIST", () => {
  test("0x4004747F, no input, 32 × 76 bytes out; entries decoded to text and flags", async () => {
    const { fake, result } = await run(() => sio.interfaceList(9n), () => concat([LO, ETH]));
    assert.deepEqual(fake.calls.map(shape), [expected(0x4004747f, null, 2432)]);
    assert.deepEqual(result, [
      {
        address: "127.0.0.1",
        broadcast: "127.255.255.255",
        netmask: "255.0.0.0",
        flags: { up: true, broadcast: false, loopback: true, pointToPoint: false, multicast: true },
      },
      {
        address: "192.168.1.10",
        broadcast: "192.168.1.255",
        netmask: "255.255.255.0",
        flags: { up: true, broadcast: true, loopback: false, pointToPoint: false, multicast: true },
      },
    ]);
  });

  test("each IFF_* bit lands in its own flag; an unset (AF_UNSPEC) broadcast is empty", async () => {
    const names = ["up", "broadcast", "loopback", "pointToPoint", "multicast"] as const;
    for (const [i, name] of names.entries()) {
      const entry = info(1 << i, sin([10, 0, 0, 1]), new Uint8Array(24), sin([255, 0, 0, 0]));
      const { result } = await run(() => sio.interfaceList(9n), () => entry);
      const [only] = result!;
      assert.deepEqual(Object.entries(only.flags).filter(([, on]) => on).map(([n]) => n), [name]);
      assert.equal(only.broadcast, "");
    }
    const none = await run(() => sio.interfaceList(9n), () => new Uint8Array(0));
    assert.deepEqual(none.result, []);
  });

  test("hostile answers: a partial entry, an unknown family, more bytes than the buffer", async () => {
    const partial = await run(() => sio.interfaceList(9n), () => concat([LO, LO]).subarray(0, 100));
    assertMalformed(partial.error, "interfaceList", "SIO_GET_INTERFACE_LIST", /100 bytes/);
    const odd = info(1, le(24, [0, 2, 99]), sin([0, 0, 0, 0]), sin([0, 0, 0, 0]));
    const family = await run(() => sio.interfaceList(9n), () => concat([LO, odd]));
    assertMalformed(family.error, "interfaceList", "SIO_GET_INTERFACE_LIST", /family 99/);
    const over = await run(() => sio.interfaceList(9n), () => 2432 + 76);
    assertMalformed(over.error, "interfaceList", "SIO_GET_INTERFACE_LIST", /2508 bytes returned/);
  });

  const many = concat(
    Array.from(
      { length: 500 },
      (_, i) =>
        info(1, sin([10, 1, i >> 8, i & 255]), sin([10, 1, 255, 255]), sin([255, 255, 0, 0])),
    ),
  );
  const check500 = (list: sio.InterfaceEntry[] | undefined) => {
    assert.equal(list?.length, 500);
    assert.equal(list[0].address, "10.1.0.0");
    assert.equal(list[499].address, "10.1.1.243");
    assert.equal(list[499].netmask, "255.255.0.0");
  };

  test("500 addresses, Windows' way: WSAEFAULT until the buffer holds them (×4 each time)", async () => {
    const r = await run(
      () => sio.interfaceList(9n),
      (n) => n < many.length ? { error: 10014 } : many,
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(r.sizes, [2432, 9728, 38912]);
    check500(r.result);
  });

  test("500 addresses, filled as far as they fit: a full buffer is grown too", async () => {
    const r = await run(
      () => sio.interfaceList(9n),
      (n) => many.subarray(0, Math.floor(n / 76) * 76),
    );
    assert.deepEqual(r.sizes, [2432, 9728, 38912]);
    check500(r.result);
  });

  test("WSAENOBUFS grows the buffer as WSAEFAULT does", async () => {
    const r = await run(() => sio.interfaceList(9n), (n) => n < 5000 ? { error: 10055 } : LO);
    assert.deepEqual(r.sizes, [2432, 9728]);
    assert.equal(r.result?.length, 1);
  });

  test("the retries are bounded: six calls, then WSAEFAULT naming the call", async () => {
    // A list that never fits: a refusal each time, or a full buffer each time.
    for (const respond of [() => ({ error: 10014 }), (n: number) => new Uint8Array(n)]) {
      const r = await run(() => sio.interfaceList(9n), respond);
      assert.deepEqual(r.sizes, [2432, 9728, 38912, 155648, 622592, 2490368]);
      const e = r.error;
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.code, 10014);
      assert.equal(e.typedCall, "interfaceList");
      assert.equal(e.ioctl, "SIO_GET_INTERFACE_LIST");
      assert.match(e.message, /did not fit in 2490368 bytes after 6 attempts/);
    }
  });

  test("any other refusal is thrown at once, with the IPv4 hint for WSAEINVAL", async () => {
    const r = await run(() => sio.interfaceList(9n), () => ({ error: 10022 }));
    assert.deepEqual(r.sizes, [2432]);
    assert.ok(r.error instanceof WinsockError);
    assert.equal(r.error.code, 10022);
    assert.match(r.error.hint ?? "", /IPv4/);
  });
});

/** INTERFACE_INFO_EX[] then the sockaddrs: iiFlags at 0x00, SOCKET_ADDRESS at 0x08/0x18/0x28. */
function infoExBytes(entries: [number, Uint8Array, Uint8Array | null, Uint8Array][]): Uint8Array {
  let at = 56 * entries.length;
  const addrs: Uint8Array[] = [];
  const ref = (a: Uint8Array | null): [bigint, number] => {
    if (a === null) return [0n, 0];
    const p = BASE + BigInt(at);
    at += a.length;
    addrs.push(a);
    return [p, a.length];
  };
  const heads = entries.map(([flags, address, broadcast, netmask]) => {
    const [a, al] = ref(address), [b, bl] = ref(broadcast), [m, ml] = ref(netmask);
    return le(56, [0, 4, flags], [8, 8, a], [16, 4, al], [24, 8, b], [32, 4, bl], [40, 8, m], [
      48,
      4,
      ml,
    ]);
  });
  return concat([...heads, ...addrs]);
}

describe("sio interfaceListEx: SIO_GET_INTERFACE_LIST_EX", () => {
  test("0x4004747E, no input, 32 × (56 + 3 × 28) out; pointers resolved, IPv6 with its %scope", async () => {
    const out = infoExBytes([
      [0x1 | 0x10, sin6(FE80_1, 4), null, sin6(Array(8).fill(0xff).concat(Array(8).fill(0)), 0)],
      [0x1 | 0x2, sin([192, 168, 1, 10]), sin([192, 168, 1, 255]), sin([255, 255, 255, 0])],
    ]);
    const { fake, result } = await run(() => sio.interfaceListEx(9n), () => out);
    assert.deepEqual(fake.calls.map(shape), [expected(0x4004747e, null, 4480)]);
    assert.deepEqual(result, [
      {
        address: "fe80::1%4",
        broadcast: "",
        netmask: "ffff:ffff:ffff:ffff::",
        flags: {
          up: true,
          broadcast: false,
          loopback: false,
          pointToPoint: false,
          multicast: true,
        },
      },
      {
        address: "192.168.1.10",
        broadcast: "192.168.1.255",
        netmask: "255.255.255.0",
        flags: {
          up: true,
          broadcast: true,
          loopback: false,
          pointToPoint: false,
          multicast: false,
        },
      },
    ]);
  });

  test("hostile answers: a pointer outside, a length past the end, no address, a bad family", async () => {
    const good = infoExBytes([[1, sin([10, 0, 0, 1]), null, sin([255, 0, 0, 0])]]);
    const outside = good.slice();
    new DataView(outside.buffer).setBigUint64(8, BASE + 5000n, true);
    const before = good.slice();
    new DataView(before.buffer).setBigUint64(8, BASE - 16n, true);
    const long = good.slice();
    new DataView(long.buffer).setInt32(16, 200, true);
    const none = infoExBytes([[1, sin([10, 0, 0, 1]), null, sin([255, 0, 0, 0])]]);
    new DataView(none.buffer).setBigUint64(8, 0n, true);
    const family = good.slice();
    family[56] = 7;
    const cases: [Uint8Array, RegExp][] = [
      [outside, /outside the buffer/],
      [before, /outside the buffer/],
      [long, /outside the buffer/],
      [none, /entry 0 has no address/],
      [family, /family 7/],
    ];
    for (const [out, detail] of cases) {
      const r = await run(() => sio.interfaceListEx(9n), () => out);
      assertMalformed(r.error, "interfaceListEx", "SIO_GET_INTERFACE_LIST_EX", detail);
    }
  });

  test("Windows' refusal comes out named, with the hint that it is not implemented", async () => {
    const r = await run(() => sio.interfaceListEx(9n), () => ({ error: 10045 }));
    assert.ok(r.error instanceof WinsockError);
    assert.equal(r.error.typedCall, "interfaceListEx");
    assert.match(r.error.hint ?? "", /not implemented/);
  });
});

describe("sio addressList: SIO_ADDRESS_LIST_QUERY", () => {
  test("0x48000016, no input, 4096 bytes out; IPv4 and IPv6 with their scope ids", async () => {
    const out = addressListBytes([sin([192, 168, 1, 10]), sin6(FE80_1, 7), sin6(DB8(1), 0)]);
    const { fake, result } = await run(() => sio.addressList(9n), () => out);
    assert.deepEqual(fake.calls.map(shape), [expected(0x48000016, null, 4096)]);
    assert.deepEqual(result, [
      { family: "inet", address: "192.168.1.10", port: 0 },
      { family: "inet6", address: "fe80::1", port: 0, scopeId: 7 },
      { family: "inet6", address: "2001:db8::1", port: 0, scopeId: 0 },
    ]);
    assert.deepEqual((await run(() => sio.addressList(9n), () => le(8))).result, []);
  });

  test("pointers are offsets from the very buffer handed to WSAIoctl", async () => {
    // Built against another base: every pointer lies outside the buffer the fake filled.
    const elsewhere = addressListBytes([sin([10, 0, 0, 1])], 0x7700000n + 0x100000n);
    const r = await run(() => sio.addressList(9n), () => elsewhere);
    assertMalformed(r.error, "addressList", "SIO_ADDRESS_LIST_QUERY", /outside the buffer/);
  });

  test("hostile answers: counts, pointers and lengths outside the bytes written; families", async () => {
    const good = addressListBytes([sin([10, 0, 0, 1]), sin6(FE80_1, 3)]);
    const edit = (f: (v: DataView) => void) => {
      const b = good.slice();
      f(new DataView(b.buffer));
      return b;
    };
    const cases: [Uint8Array | (() => Uint8Array | IoctlAnswer), RegExp][] = [
      [edit((v) => v.setInt32(0, 1000, true)), /iAddressCount 1000 does not fit in 84 bytes/],
      [edit((v) => v.setInt32(0, -1, true)), /iAddressCount -1/],
      [le(3), /too short/],
      [edit((v) => v.setBigUint64(24, BASE + 4000n, true)), /outside the buffer/],
      [edit((v) => v.setBigUint64(24, BASE - 8n, true)), /outside the buffer/],
      [edit((v) => v.setBigUint64(24, 0n, true)), /Address\[1\]\.lpSockaddr is null/],
      [edit((v) => v.setInt32(32, 29, true)), /outside the buffer/],
      [edit((v) => v.setInt32(32, 27, true)), /too short for inet6/],
      [edit((v) => v.setInt32(16, -1, true)), /negative/],
      [edit((v) => v.setUint16(40, 17, true)), /family 17/],
    ];
    for (const [out, detail] of cases) {
      const r = await run(() => sio.addressList(9n), typeof out === "function" ? out : () => out);
      assertMalformed(r.error, "addressList", "SIO_ADDRESS_LIST_QUERY", detail);
    }
  });

  test("a pointer inside the buffer but past the bytes written is refused too", async () => {
    const good = addressListBytes([sin([10, 0, 0, 1])]);
    // 40 bytes written; the sockaddr sits at 2000 (inside the 4096-byte buffer, never written).
    new DataView(good.buffer).setBigUint64(8, BASE + 2000n, true);
    const r = await run(() => sio.addressList(9n), () => good);
    assertMalformed(r.error, "addressList", "SIO_ADDRESS_LIST_QUERY", /\+40\)/);
  });

  test("500 addresses: WSAEFAULT until the buffer holds them, scope ids kept", async () => {
    const list = addressListBytes(Array.from({ length: 500 }, (_, i) => sin6(DB8(i), i)));
    const r = await run(
      () => sio.addressList(9n),
      (n) => n < list.length ? { error: 10014 } : list,
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(r.sizes, [4096, 16384, 65536]);
    assert.equal(r.result?.length, 500);
    assert.deepEqual(r.result![499], {
      family: "inet6",
      address: "2001:db8::1f3",
      port: 0,
      scopeId: 499,
    });
  });

  test("the size a WSAEFAULT reports is the next buffer's: one retry", async () => {
    const list = addressListBytes(Array.from({ length: 500 }, (_, i) => sin6(DB8(i), i)));
    const r = await run(
      () => sio.addressList(9n),
      (n) => n < list.length ? { error: 10014, bytesReturned: list.length } : list,
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(r.sizes, [4096, list.length]);
    assert.equal(r.result?.length, 500);
  });

  test("the retries are bounded: six calls, then WSAEFAULT naming the call", async () => {
    const r = await run(() => sio.addressList(9n), () => ({ error: 10014 }));
    assert.deepEqual(r.sizes, [4096, 16384, 65536, 262144, 1048576, 4194304]);
    assert.ok(r.error instanceof WinsockError);
    assert.equal(r.error.code, 10014);
    assert.equal(r.error.typedCall, "addressList");
    assert.match(
      r.error.message,
      /^addressList: WSAIoctl\(SIO_ADDRESS_LIST_QUERY\) failed: WSAEFAULT/,
    );
  });
});

describe("the list calls' cap: the sixth ×4 buffer, never a size a refusal reports past it", () => {
  // [typed call, its IOCTL, the first buffer, the cap = first × 4^5 (the calls' JSDoc)]
  const CALLS: [string, string, number, number, () => unknown][] = [
    ["interfaceList", "SIO_GET_INTERFACE_LIST", 2432, 2490368, () => sio.interfaceList(9n)],
    ["interfaceListEx", "SIO_GET_INTERFACE_LIST_EX", 4480, 4587520, () => sio.interfaceListEx(9n)],
    ["addressList", "SIO_ADDRESS_LIST_QUERY", 4096, 4194304, () => sio.addressList(9n)],
  ];

  for (const [name, ioctl, first, cap, call] of CALLS) {
    test(`${name}: 4,096, then 4,294,967,295, then 17,179,869,180 bytes asked: an Error`, async () => {
      const asked = [4096, 4294967295, 17179869180];
      const r = await run(call, () => ({ error: 10014, bytesReturned: asked.shift() }));
      // The first refusal's 4,096 is taken (or outgrown ×4); the second is refused unallocated.
      assert.deepEqual(r.sizes, [first, first < 4096 ? 4096 : first * 4]);
      const e = r.error;
      assert.ok(e instanceof Error && !(e instanceof WinsockError), String(e));
      assert.equal(e.constructor, Error);
      assert.equal(
        e.message,
        `${name}: WSAIoctl(${ioctl}) asked for a 4294967295-byte buffer, more than the ` +
          `${cap} bytes the library allocates for this list`,
      );
      assert.deepEqual(asked, [17179869180], "never asked again");
    });

    test(`${name}: a size reported at the cap is allocated, one byte past it is not`, async () => {
      const ok = await run(call, (n) =>
        n < cap ? { error: 10014, bytesReturned: cap } : {
          error: 10022,
        });
      assert.deepEqual(ok.sizes, [first, cap]);
      assert.ok(ok.error instanceof WinsockError && ok.error.code === 10022, String(ok.error));
      const past = await run(call, () => ({ error: 10014, bytesReturned: cap + 1 }));
      assert.deepEqual(past.sizes, [first]);
      assert.match(String(past.error), new RegExp(`asked for a ${cap + 1}-byte buffer`));
    });

    test(`${name}: growth stops at the cap, then WSAEFAULT naming the call`, async () => {
      // A size just under the cap, then refusals that report none: ×4 would pass the cap.
      let reported = false;
      const r = await run(call, () => {
        if (reported) return { error: 10014 };
        reported = true;
        return { error: 10014, bytesReturned: cap - 1 };
      });
      assert.deepEqual(r.sizes, [first, cap - 1, cap]);
      const e = r.error;
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.code, 10014);
      assert.equal(e.typedCall, name);
      assert.equal(e.ioctl, ioctl);
      assert.match(e.message, new RegExp(`did not fit in ${cap} bytes after 3 attempts`));
    });
  }
});
