import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  decodeIoctl,
  encodeIoctl,
  FIONBIO,
  FIONREAD,
  formatCode,
  ioctlLabel,
  ioctlName,
  IOCTLS,
  lookupIoctl,
  SIO_GET_TX_TIMESTAMP,
  SIO_KEEPALIVE_VALS,
  SIOCATMARK,
  UNIX_IOCTLS,
} from "../codes/mod.ts";
import * as codes from "../codes/mod.ts";
import { checkCode } from "../_validate.ts";
import { IOCTL_SPECS } from "../codes/spec.ts";
import { renderGenerated } from "../scripts/gen_codes.ts";
import { mulberry32 } from "./_helpers/rng.ts";

const SEED = [
  "FIONBIO",
  "FIONREAD",
  "SIOCATMARK",
  "SIO_ACQUIRE_PORT_RESERVATION",
  "SIO_ADDRESS_LIST_CHANGE",
  "SIO_ADDRESS_LIST_QUERY",
  "SIO_APPLY_TRANSPORT_SETTING",
  "SIO_ASSOCIATE_HANDLE",
  "SIO_ASSOCIATE_PORT_RESERVATION",
  "SIO_BASE_HANDLE",
  "SIO_BSP_HANDLE",
  "SIO_BSP_HANDLE_POLL",
  "SIO_BSP_HANDLE_SELECT",
  "SIO_CHK_QOS",
  "SIO_CPU_AFFINITY",
  "SIO_ENABLE_CIRCULAR_QUEUEING",
  "SIO_FIND_ROUTE",
  "SIO_FLUSH",
  "SIO_GET_BROADCAST_ADDRESS",
  "SIO_GET_EXTENSION_FUNCTION_POINTER",
  "SIO_GET_GROUP_QOS",
  "SIO_GET_INTERFACE_LIST",
  "SIO_GET_INTERFACE_LIST_EX",
  "SIO_GET_QOS",
  "SIO_GET_TX_TIMESTAMP",
  "SIO_IDEAL_SEND_BACKLOG_CHANGE",
  "SIO_IDEAL_SEND_BACKLOG_QUERY",
  "SIO_KEEPALIVE_VALS",
  "SIO_LOOPBACK_FAST_PATH",
  "SIO_MULTICAST_SCOPE",
  "SIO_MULTIPOINT_LOOPBACK",
  "SIO_QUERY_RSS_PROCESSOR_INFO",
  "SIO_QUERY_RSS_SCALABILITY_INFO",
  "SIO_QUERY_TRANSPORT_SETTING",
  "SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE",
  "SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT",
  "SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS",
  "SIO_RCVALL",
  "SIO_RCVALL_IGMPMCAST",
  "SIO_RCVALL_MCAST",
  "SIO_RELEASE_PORT_RESERVATION",
  "SIO_ROUTING_INTERFACE_CHANGE",
  "SIO_ROUTING_INTERFACE_QUERY",
  "SIO_SET_COMPATIBILITY_MODE",
  "SIO_SET_GROUP_QOS",
  "SIO_SET_PRIORITY_HINT",
  "SIO_SET_QOS",
  "SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS",
  "SIO_TCP_INFO",
  "SIO_TCP_INITIAL_RTO",
  "SIO_TIMESTAMPING",
  "SIO_TRANSLATE_HANDLE",
  "SIO_UDP_CONNRESET",
];

describe("bit fields", () => {
  test("the design card's worked examples", () => {
    assert.equal(FIONREAD, 0x4004667f);
    assert.equal(FIONBIO, 0x8004667e);
    assert.equal(SIOCATMARK, 0x40047307);
    assert.equal(SIO_KEEPALIVE_VALS, 0x98000004);
    assert.equal(encodeIoctl({ io: "in", type: "vendor", code: 4 }), 0x98000004);
    assert.equal(encodeIoctl({ io: "out", type: 0, family: 4, code: 0x667f }), FIONREAD);
    assert.equal(encodeIoctl({ io: "in", type: "IOC_VENDOR", code: 4 }), 0x98000004);
    assert.equal(encodeIoctl({ io: "out", type: "IOC_WS2", code: 22 }), 0x48000016);
  });

  test("each field lands on its own bits", () => {
    assert.equal(encodeIoctl({ io: "in", type: 0, code: 0 }), 0x80000000);
    assert.equal(encodeIoctl({ io: "out", type: 0, code: 0 }), 0x40000000);
    assert.equal(encodeIoctl({ io: "inout", type: 0, code: 0 }), 0xc0000000);
    assert.equal(encodeIoctl({ io: "void", type: 0, code: 0 }), 0x20000000);
    assert.equal(encodeIoctl({ io: "void", type: "ws2", code: 0 }), 0x28000000);
    assert.equal(encodeIoctl({ io: "void", type: "protocol", code: 0 }), 0x30000000);
    assert.equal(encodeIoctl({ io: "void", type: "vendor", code: 0 }), 0x38000000);
    assert.equal(encodeIoctl({ io: "void", type: 0, family: 0x7ff, code: 0 }), 0x27ff0000);
    assert.equal(encodeIoctl({ io: "void", type: 0, family: 1, code: 0 }), 0x20010000);
    assert.equal(encodeIoctl({ io: "void", type: 0, code: 0xffff }), 0x2000ffff);
    assert.equal(encodeIoctl({ io: "inout", type: 3, family: 0x7ff, code: 0xffff }), 0xdfffffff);
  });

  test("decode reads every bit back", () => {
    const d = decodeIoctl(0xdfffffff);
    assert.deepEqual(
      [d.input, d.output, d.void, d.io, d.type, d.typeName, d.family, d.code],
      [true, true, false, "inout", 3, "vendor", 0x7ff, 0xffff],
    );
    const f = decodeIoctl(FIONREAD);
    assert.deepEqual([f.io, f.type, f.family, f.group, f.number], ["out", 0, 4, "f", 127]);
    assert.equal(decodeIoctl(0).io, "none");
    assert.equal(decodeIoctl(0xe0000000).io, "invalid");
    assert.equal(decodeIoctl(0x20000000).io, "void");
    // A negative int32, as C prints (int)0x98000004, reads as the unsigned code.
    assert.equal(decodeIoctl(-1744830460).value, 0x98000004);
  });

  test("encode(decode(x)) == x for 20,000 random valid codes", () => {
    const next = mulberry32(0x5eed);
    const ios = ["in", "out", "inout", "void"] as const;
    for (let i = 0; i < 20000; i++) {
      const fields = {
        io: ios[next() & 3],
        type: (next() & 3) as 0 | 1 | 2 | 3,
        family: next() & 0x7ff,
        code: next() & 0xffff,
      };
      const value = encodeIoctl(fields);
      const d = decodeIoctl(value);
      assert.deepEqual([d.io, d.type, d.family, d.code], [
        fields.io,
        fields.type,
        fields.family,
        fields.code,
      ]);
      assert.equal(
        encodeIoctl({ io: d.io as typeof fields.io, type: d.type, family: d.family, code: d.code }),
        value,
      );
    }
  });

  test("decode agrees with shifts and masks on 20,000 random 32-bit values", () => {
    const next = mulberry32(42);
    for (let i = 0; i < 20000; i++) {
      const v = next();
      const d = decodeIoctl(v);
      assert.equal(d.value, v);
      assert.equal(d.input, v >= 0x80000000);
      assert.equal(d.output, ((v >>> 30) & 1) === 1);
      assert.equal(d.void, ((v >>> 29) & 1) === 1);
      assert.equal(d.type, (v >>> 27) & 3);
      assert.equal(d.family, (v >>> 16) & 0x7ff);
      assert.equal(d.code, v & 0xffff);
    }
  });

  test("bad fields are rejected with the field's name", () => {
    assert.throws(() => encodeIoctl({ io: "sideways" as never, type: 0, code: 0 }), {
      name: "TypeError",
      message: /io must be one of/,
    });
    assert.throws(() => encodeIoctl({ io: "in", type: "tcp" as never, code: 0 }), {
      name: "TypeError",
      message: /type must be one of/,
    });
    assert.throws(() => encodeIoctl({ io: "in", type: 4 as never, code: 0 }), {
      name: "RangeError",
      message: /type must be between 0 and 3/,
    });
    assert.throws(() => encodeIoctl({ io: "in", type: 3, family: 2048, code: 0 }), {
      name: "RangeError",
      message: /family must be between 0 and 2047/,
    });
    assert.throws(() => encodeIoctl({ io: "in", type: 3, code: 65536 }), {
      name: "RangeError",
      message: /code must be between 0 and 65535/,
    });
    assert.throws(() => encodeIoctl({ io: "in", type: 3, code: 1.5 }), {
      name: "TypeError",
      message: /code must be an integer/,
    });
    assert.throws(() => encodeIoctl(null as never), TypeError);
    assert.throws(() => decodeIoctl(2 ** 32), RangeError);
    assert.throws(() => decodeIoctl(-(2 ** 31) - 1), RangeError);
    assert.throws(() => decodeIoctl(Number.NaN), TypeError);
    assert.throws(() => decodeIoctl("1" as never), TypeError);
    // The one rule for codes (_validate.ts checkCode) refuses bigints; it is no longer exported
    // from codes/ as toUint32.
    assert.throws(() => decodeIoctl(1n as never), TypeError);
    assert.throws(() => checkCode(1n, "code"), TypeError);
    assert.equal("toUint32" in codes, false);
  });

  test("decodeIoctl, lookupIoctl and formatCode follow checkCode's rule at its edges", () => {
    for (const v of [-(2 ** 31), -1, 0, 0x98000004, 2 ** 32 - 1]) {
      assert.equal(decodeIoctl(v).value, checkCode(v, "value"), String(v));
      assert.equal(
        formatCode(v),
        "0x" + checkCode(v, "value").toString(16).toUpperCase().padStart(8, "0"),
      );
    }
    for (const v of [-(2 ** 31) - 1, 2 ** 32]) {
      assert.throws(() => checkCode(v, "value"), RangeError);
      assert.throws(() => decodeIoctl(v), RangeError);
      assert.throws(() => lookupIoctl(v), RangeError);
      assert.throws(() => formatCode(v), RangeError);
    }
    assert.equal(formatCode(-1744830460), "0x98000004");
    assert.equal(ioctlLabel(-1744830460), "SIO_KEEPALIVE_VALS");
    assert.equal(ioctlLabel(0x5a5a0001), "0x5A5A0001");
  });
});

describe("the table", () => {
  test("holds all 53 seed codes, flagged as seed", () => {
    assert.equal(SEED.length, 53);
    for (const name of SEED) {
      const [info] = lookupIoctl(name);
      assert.ok(info, `${name} missing`);
      assert.equal(info.name, name);
      assert.equal(info.seed, true, `${name} not flagged as seed`);
      assert.equal((codes as Record<string, unknown>)[name], info.value, `${name} constant`);
    }
    assert.deepEqual(IOCTLS.filter((i) => i.seed).map((i) => i.name).sort(), [...SEED].sort());
  });

  test("every row is consistent with its own bits and exported as a constant", () => {
    const names = new Set<string>();
    for (const info of IOCTLS) {
      assert.ok(!names.has(info.name), `duplicate ${info.name}`);
      names.add(info.name);
      assert.match(info.name, /^(SIO_|SIOC|FIO)[A-Z0-9_]+$/);
      const d = decodeIoctl(info.value);
      assert.deepEqual([info.io, info.type, info.typeName, info.family, info.code], [
        d.io,
        d.type,
        d.typeName,
        d.family,
        d.code,
      ], info.name);
      assert.equal((codes as Record<string, unknown>)[info.name], info.value, info.name);
      assert.ok(info.summary.length > 10 && info.summary.length < 100, info.name);
      assert.ok(info.header.endsWith(".h"), info.name);
      assert.ok(info.since, info.name);
    }
    assert.ok(IOCTLS.length >= 100, `only ${IOCTLS.length} codes`);
  });

  test("shared values list every name, and aliases point at real entries", () => {
    assert.deepEqual(lookupIoctl(codes.SIO_SET_PRIORITY_HINT).map((i) => i.name), [
      "SIO_SET_PRIORITY_HINT",
      "SIO_PRIORITY_HINT",
    ]);
    assert.deepEqual(lookupIoctl("SIO_PRIORITY_HINT").map((i) => i.name), [
      "SIO_PRIORITY_HINT",
      "SIO_SET_PRIORITY_HINT",
    ]);
    assert.deepEqual(lookupIoctl(codes.SIO_RCVALL_MCAST_IF).map((i) => i.name).sort(), [
      "SIO_RCVALL_MCAST_IF",
      "SIO_SOCKET_CLOSE_NOTIFY",
    ]);
    assert.deepEqual(lookupIoctl(codes.SIOCGIPMSFILTER).map((i) => i.name), [
      "SIO_GET_MULTICAST_FILTER",
      "SIOCGIPMSFILTER",
    ]);
    for (const info of IOCTLS) {
      const same = IOCTLS.filter((o) => o.value === info.value && o !== info).map((o) => o.name);
      assert.deepEqual([...info.aliases].sort(), same.sort(), info.name);
      if (info.aliasOf) assert.equal(lookupIoctl(info.aliasOf)[0].value, info.value);
    }
    assert.equal(ioctlName(codes.SIO_PRIORITY_HINT), "SIO_SET_PRIORITY_HINT");
  });

  test("codes whose direction bits lie record the real direction", () => {
    const tx = lookupIoctl(SIO_GET_TX_TIMESTAMP)[0];
    assert.equal(tx.io, "in");
    assert.equal(tx.realIo, "inout");
    assert.equal(lookupIoctl("SIO_ACQUIRE_PORT_RESERVATION")[0].realIo, "inout");
    assert.equal(lookupIoctl("SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT")[0].realIo, "out");
    assert.equal(lookupIoctl("SIO_QUERY_TRANSPORT_SETTING")[0].realIo, "inout");
    for (const info of IOCTLS) {
      if (info.realIo) assert.notEqual(info.realIo, info.io, info.name);
    }
  });

  test("where the seed's opcode setting disagrees, the header macro wins", () => {
    const loop = lookupIoctl("SIO_MULTIPOINT_LOOPBACK")[0];
    assert.equal(loop.io, "in");
    assert.equal(loop.macro, "_WSAIOW(IOC_WS2,9)");
    assert.equal(loop.seedOpcode, "V, T==1");
    const qos = lookupIoctl("SIO_GET_QOS")[0];
    assert.equal(qos.io, "inout");
    assert.equal(qos.seedOpcode, "O, T==1");
  });

  test("UNIX_IOCTLS: the reference's three Unix codes, in table order, not every T=0 entry", () => {
    assert.deepEqual(UNIX_IOCTLS, [FIONREAD, FIONBIO, SIOCATMARK]);
    assert.ok(Object.isFrozen(UNIX_IOCTLS));
    const unixTyped = IOCTLS.filter((i) => i.type === 0).map((i) => i.value);
    for (const code of UNIX_IOCTLS) assert.ok(unixTyped.includes(code), ioctlLabel(code));
    // T=0 also holds codes Winsock refuses (FIOASYNC) and Windows-only ones in Unix style.
    assert.ok(unixTyped.includes(codes.FIOASYNC));
    assert.ok(unixTyped.includes(codes.SIO_GET_INTERFACE_LIST));
    const order = IOCTLS.map((i) => i.value);
    assert.deepEqual([...UNIX_IOCTLS].sort((a, b) => order.indexOf(a) - order.indexOf(b)), [
      ...UNIX_IOCTLS,
    ]);
  });

  test("lookups by number, numeric text, any case, and misses", () => {
    assert.equal(lookupIoctl(0x98000004)[0].name, "SIO_KEEPALIVE_VALS");
    assert.equal(lookupIoctl(-1744830460)[0].name, "SIO_KEEPALIVE_VALS");
    assert.equal(lookupIoctl("0x98000004")[0].name, "SIO_KEEPALIVE_VALS");
    assert.equal(lookupIoctl("2550136836")[0].name, "SIO_KEEPALIVE_VALS");
    assert.equal(lookupIoctl("sio_keepalive_vals")[0].name, "SIO_KEEPALIVE_VALS");
    assert.deepEqual(lookupIoctl(0x12345678), []);
    assert.deepEqual(lookupIoctl("SIO_NOT_A_CODE"), []);
    assert.equal(ioctlName(0x12345678), undefined);
    assert.throws(() => lookupIoctl(2 ** 33), RangeError);
    assert.throws(() => lookupIoctl("0x1FFFFFFFF"), RangeError);
    assert.throws(() => lookupIoctl({} as never), TypeError);
  });
});

describe("generated file", () => {
  test("regenerating codes/generated.ts gives the checked-in file byte for byte", () => {
    const onDisk = readFileSync(new URL("../codes/generated.ts", import.meta.url), "utf8");
    const fresh = renderGenerated();
    assert.equal(fresh, onDisk, "codes/generated.ts is stale: run scripts/gen_codes.ts");
    assert.ok(onDisk.startsWith("// Code generated by scripts/gen_codes.ts. DO NOT EDIT.\n"));
  });

  test("the spec writes macros, not hex literals", () => {
    // One file per SDK header under codes/spec/; each must hold entries, written as macros.
    const files = ["winsock2", "ws2def", "mswsock", "ws2ipdef", "mstcpip", "others"];
    let entries = 0;
    for (const name of files) {
      const url = new URL(`../codes/spec/${name}.ts`, import.meta.url);
      const table = readFileSync(url, "utf8");
      entries += table.match(/^\s*name: "/gm)?.length ?? 0;
      assert.doesNotMatch(table, /macro:\s*0x/, name);
      assert.doesNotMatch(table, /value:\s*0x/, name);
    }
    assert.equal(entries, IOCTL_SPECS.length, "every spec entry lives in one of the files");
  });
});
