// Every code's buffers: the input and output types and 64-bit sizes of the table, as the
// generated JSDoc and `wsioctl decode` state them, checked against structs/'s layouts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { IOCTLS, lookupIoctl } from "../codes/mod.ts";
import { describeBuffers } from "../codes/format.ts";
import { BUFFER_SIZES } from "../codes/spec.ts";
import { STRUCT_LAYOUTS } from "../structs/mod.ts";

describe("buffers", () => {
  test("every buffer the table names has a size", () => {
    for (const info of IOCTLS) {
      if (info.input !== undefined) assert.notEqual(info.inputSize, undefined, info.name);
      if (info.output !== undefined) assert.notEqual(info.outputSize, undefined, info.name);
      for (const size of [info.inputSize, info.outputSize]) {
        if (typeof size === "number") assert.ok(Number.isInteger(size) && size > 0, info.name);
        else if (size !== undefined) {
          assert.match(size, /^(variable: |optional: |size not documented$)/, info.name);
        }
      }
    }
  });

  test("sizes of SDK structs equal structs/' layouts", () => {
    const fixed = Object.entries(BUFFER_SIZES).filter(([type, size]) =>
      typeof size === "number" && Object.hasOwn(STRUCT_LAYOUTS, type)
    );
    assert.ok(fixed.length >= 15, `only ${fixed.length} struct sizes checked`);
    for (const [type, size] of fixed) assert.equal(size, STRUCT_LAYOUTS[type].size, type);
    // Sizes stated in words: the numbers in the text are the layouts' sizes.
    const words: [string, string[]][] = [
      ["TCP_INFO_v0 / TCP_INFO_v1 / TCP_INFO_v2", ["TCP_INFO_v0", "TCP_INFO_v1", "TCP_INFO_v2"]],
      ["INTERFACE_INFO[]", ["INTERFACE_INFO"]],
      ["INTERFACE_INFO_EX[]", ["INTERFACE_INFO_EX"]],
      ["QOS", ["QOS"]],
      ["sockaddr", ["sockaddr_in", "sockaddr_in6"]],
      ["SOCKET_ADDRESS_LIST", ["SOCKET_ADDRESS"]],
      ["TRANSPORT_SETTING_ID + setting", [
        "TRANSPORT_SETTING_ID",
        "REAL_TIME_NOTIFICATION_SETTING_INPUT",
      ]],
    ];
    for (const [type, structs] of words) {
      for (const name of structs) {
        const bytes = STRUCT_LAYOUTS[name].size;
        assert.match(
          String(BUFFER_SIZES[type]),
          new RegExp(`(^|\\D)${bytes}(\\D|$)`),
          `${type}: ${name}`,
        );
      }
    }
    assert.equal(
      lookupIoctl("SIO_GET_BROADCAST_ADDRESS")[0].outputSize,
      STRUCT_LAYOUTS.sockaddr_in.size,
    );
    assert.equal(BUFFER_SIZES.SOCKET_PRIORITY_HINT, STRUCT_LAYOUTS.PRIORITY_HINT.size);
  });

  test("the design card's in -> out sizes", () => {
    const sizes = (name: string) => {
      const [info] = lookupIoctl(name);
      return [info.inputSize, info.outputSize];
    };
    assert.deepEqual(sizes("FIONBIO"), [4, undefined]);
    assert.deepEqual(sizes("FIONREAD"), [undefined, 4]);
    assert.deepEqual(sizes("SIOCATMARK"), [undefined, 4]);
    assert.deepEqual(sizes("SIO_KEEPALIVE_VALS"), [12, undefined]);
    assert.deepEqual(sizes("SIO_UDP_CONNRESET"), [4, undefined]);
    assert.deepEqual(sizes("SIO_GET_TX_TIMESTAMP"), [4, 8]);
    assert.deepEqual(sizes("SIO_GET_EXTENSION_FUNCTION_POINTER"), [16, 8]);
    assert.deepEqual(sizes("SIO_ACQUIRE_PORT_RESERVATION"), [4, 16]);
    assert.deepEqual(sizes("SIO_RELEASE_PORT_RESERVATION"), [8, undefined]);
    assert.deepEqual(sizes("SIO_CPU_AFFINITY"), [2, undefined]);
    assert.deepEqual(sizes("SIO_TCP_SET_ACK_FREQUENCY"), [1, undefined]);
    assert.deepEqual(sizes("SIO_SET_COMPATIBILITY_MODE"), [8, undefined]);
    assert.deepEqual(sizes("SIO_QUERY_RSS_PROCESSOR_INFO"), [undefined, 8]);
    assert.deepEqual(sizes("SIO_QUERY_RSS_SCALABILITY_INFO"), [undefined, 1]);
    assert.deepEqual(sizes("SIO_QUERY_TRANSPORT_SETTING"), [16, 4]);
    assert.deepEqual(sizes("SIO_CHK_QOS"), [4, 4]);
    assert.deepEqual(sizes("SIO_BASE_HANDLE"), [undefined, 8]);
  });

  test("describeBuffers: type and size, none, or not documented", () => {
    const keepalive = describeBuffers(lookupIoctl("SIO_KEEPALIVE_VALS")[0]);
    assert.deepEqual(keepalive, { input: "tcp_keepalive, 12 bytes", output: "none" });
    assert.deepEqual(describeBuffers(lookupIoctl("SIO_UDP_CONNRESET")[0]), {
      input: "BOOL, 4 bytes",
      output: "none",
    });
    assert.deepEqual(
      describeBuffers(lookupIoctl("SIO_TCP_SET_ACK_FREQUENCY")[0]).input,
      "TCP_ACK_FREQUENCY_PARAMETERS, 1 byte",
    );
    assert.deepEqual(describeBuffers(lookupIoctl("SIO_FLUSH")[0]), {
      input: "none",
      output: "none",
    });
    // The direction really used decides which side is declared, not the lying bits.
    assert.deepEqual(describeBuffers(lookupIoctl("SIO_GET_TX_TIMESTAMP")[0]), {
      input: "UINT32 timestamp id, 4 bytes",
      output: "UINT64 timestamp, 8 bytes",
    });
    assert.equal(describeBuffers(lookupIoctl("SIO_FIND_ROUTE")[0]).output, "none");
    assert.deepEqual(describeBuffers(lookupIoctl("SIO_EXT_SELECT")[0]), {
      input: "not documented",
      output: "not documented",
    });
    assert.match(
      describeBuffers(lookupIoctl("SIO_TCP_INFO")[0]).output,
      /^TCP_INFO_v0 .*variable: 88, 136 or 152 bytes/,
    );
  });

  test("every constant's JSDoc states its buffers as describeBuffers words them", () => {
    const text = readFileSync(new URL("../codes/generated.ts", import.meta.url), "utf8");
    const docs = new Map(
      [...text.matchAll(/\/\*\*\n((?: \*.*\n)*?) \*\/\nexport const (\w+) = 0x/g)].map((
        m,
      ) => [m[2], m[1]]),
    );
    assert.equal(docs.size, IOCTLS.length);
    for (const info of IOCTLS) {
      const doc = docs.get(info.name) ?? "";
      const { input, output } = describeBuffers(info);
      assert.ok(
        doc.includes(` * Input: ${input}.\n * Output: ${output}.\n`),
        `${info.name}:\n${doc}`,
      );
      if (info.realIo) assert.ok(doc.includes(`Used as ${info.realIo}`), info.name);
    }
    assert.match(docs.get("SIO_UDP_CONNRESET")!, /Input: BOOL, 4 bytes\.\n \* Output: none\./);
  });
});
