// The QoS, transport-setting and WFP typed calls (sio/qos.ts, sio/transport.ts, sio/wfp.ts) on
// real sockets under Windows Deno and Bun (Wine 10 in the bed). Every call runs, on the kind of
// socket its reference asks for and on others. Wine 10 implements none of these codes: its
// WSAIoctl logs "unimplemented ioctl" and answers WSAEOPNOTSUPP (10045), which each typed call
// must surface as a WinsockError carrying the code, the IOCTL's name and its own name (and its
// hint where it has one for 10045), leaving the socket usable. Run with WINEDEBUG=+winsock, the
// trace shows what reached Wine: SIO_GET_QOS out 0x400, SIO_SET_QOS in 0x50 (0x58 with 8 provider
// bytes), SIO_CHK_QOS 4 → 4, SIO_APPLY_TRANSPORT_SETTING in 0x20, SIO_QUERY_TRANSPORT_SETTING
// 0x10 → 4 (0x40 for a GUID), SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE out 8, the redirect queries out
// 0x400.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeApi } from "../../ffi/select.ts";
import { Socket } from "../../socket.ts";
import * as sio from "../../sio/mod.ts";
import { tcpPair } from "../_helpers/pair.ts";
import { assertTypedRefusal } from "../_helpers/winsock.ts";

const native = nativeApi();
const onlyWine = native.wine ? false : "Wine's answers; Windows itself answers for its providers";

const BROKER = "{0123ABCD-4567-89EF-0A1B-2C3D4E5F6071}";
const REAL_TIME_EX = "{6843DA03-154A-4616-A508-44371295F96B}";
const END_OF_LIST = new Uint8Array([0xd1, 0x07, 0, 0, 8, 0, 0, 0]); // QOS_OBJECT_END_OF_LIST

/**
 * Asserts `fn` fails with WSAEOPNOTSUPP (10045) named after `typedCall` and `ioctl`, with `hint`
 * (a pattern) or no hint, and that the socket `s` still answers FIONREAD.
 */
function refused(
  s: Socket,
  typedCall: string,
  ioctl: string,
  hint: RegExp | undefined,
  fn: () => unknown,
): void {
  const e = assertTypedRefusal(fn, { typedCall, ioctl, name: "WSAEOPNOTSUPP", code: 10045 });
  assert.equal(e.code, 10045);
  if (hint === undefined) assert.equal(e.hint, undefined);
  else assert.match(e.hint ?? "", hint);
  assert.equal(sio.bytesAvailable(s), 0, "the socket still works");
}

/** The sockets every call runs on: a connected TCP pair, bound and connected UDP, a fresh TCP. */
function sockets() {
  const pair = tcpPair();
  const udp = Socket.open("inet", "dgram");
  udp.bind("127.0.0.1", 0);
  const udpConnected = Socket.open("inet", "dgram");
  udpConnected.connect("127.0.0.1", udp.localAddress().port);
  const fresh = Socket.open("inet6", "stream");
  const all: [string, Socket][] = [
    ["connected TCP client", pair.client],
    ["accepted TCP peer", pair.peer],
    ["TCP listener", pair.server],
    ["bound UDP", udp],
    ["connected UDP", udpConnected],
    ["fresh IPv6 TCP", fresh],
  ];
  const close = () => {
    pair.close();
    udp.close();
    udpConnected.close();
    fresh.close();
  };
  return { all, [Symbol.dispose]: close };
}

const GQOS = /GQoS/;
const TRANSPORT = /Windows 8/;

describe(`sio qos on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test(
    "qos, groupQos: SIO_GET_QOS / _GROUP_QOS refused on every socket",
    { skip: onlyWine },
    () => {
      using s = sockets();
      for (const [, socket] of s.all) {
        refused(socket, "qos", "SIO_GET_QOS", GQOS, () => sio.qos(socket));
        refused(socket, "groupQos", "SIO_GET_GROUP_QOS", GQOS, () => sio.groupQos(socket));
      }
    },
  );

  test("setQos, setGroupQos: refused with {}, with every field, with provider bytes", {
    skip: onlyWine,
  }, () => {
    using s = sockets();
    const full = {
      sending: { tokenRate: 65536, tokenBucketSize: 8192, peakBandwidth: 131072, serviceType: 1 },
      receiving: { latency: 1000, delayVariation: 100, maxSduSize: 1500, minimumPolicedSize: 64 },
      providerSpecific: END_OF_LIST,
    };
    for (const [, socket] of s.all) {
      refused(socket, "setQos", "SIO_SET_QOS", GQOS, () => sio.setQos(socket, {}));
      refused(socket, "setQos", "SIO_SET_QOS", GQOS, () => sio.setQos(socket, full));
      refused(socket, "setGroupQos", "SIO_SET_GROUP_QOS", GQOS, () => sio.setGroupQos(socket, {}));
      refused(
        socket,
        "setGroupQos",
        "SIO_SET_GROUP_QOS",
        GQOS,
        () => sio.setGroupQos(socket, full),
      );
    }
  });

  test("checkQos: SIO_CHK_QOS refused for every query, by name and number", {
    skip: onlyWine,
  }, () => {
    using s = sockets();
    const [, udp] = s.all[3];
    for (
      const q of [
        "allowedToSendData",
        "ableToRecvRsvp",
        "lineRate",
        "localTrafficControl",
        "localQosability",
        "endToEndQosability",
      ] as const
    ) {
      refused(udp, "checkQos", "SIO_CHK_QOS", GQOS, () => sio.checkQos(udp, q));
    }
    for (const [, socket] of s.all) {
      refused(socket, "checkQos", "SIO_CHK_QOS", GQOS, () => sio.checkQos(socket, 50003));
    }
  });
});

describe(`sio transport on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test("applyTransportSetting: refused, by name and by GUID", { skip: onlyWine }, () => {
    using s = sockets();
    for (const [, socket] of s.all) {
      refused(
        socket,
        "applyTransportSetting",
        "SIO_APPLY_TRANSPORT_SETTING",
        TRANSPORT,
        () =>
          sio.applyTransportSetting(socket, "realTimeNotification", { brokerEventGuid: BROKER }),
      );
      refused(
        socket,
        "applyTransportSetting",
        "SIO_APPLY_TRANSPORT_SETTING",
        TRANSPORT,
        () => sio.applyTransportSetting(socket, REAL_TIME_EX, new Uint8Array(20)),
      );
    }
  });

  test("queryTransportSetting: refused, by name and by GUID (through a raw handle too)", {
    skip: onlyWine,
  }, () => {
    using s = sockets();
    for (const [, socket] of s.all) {
      refused(
        socket,
        "queryTransportSetting",
        "SIO_QUERY_TRANSPORT_SETTING",
        TRANSPORT,
        () => sio.queryTransportSetting(socket, "realTimeNotification"),
      );
      refused(
        socket,
        "queryTransportSetting",
        "SIO_QUERY_TRANSPORT_SETTING",
        TRANSPORT,
        () => sio.queryTransportSetting(socket.handle, REAL_TIME_EX, { outputLength: 4 }),
      );
    }
  });
});

describe(`sio wfp on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test(
    "wfpAleEndpointHandle: SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE refused",
    { skip: onlyWine },
    () => {
      using s = sockets();
      for (const [, socket] of s.all) {
        refused(
          socket,
          "wfpAleEndpointHandle",
          "SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE",
          undefined,
          () => sio.wfpAleEndpointHandle(socket),
        );
      }
    },
  );

  test("wfpRedirectRecords, wfpRedirectContext, setWfpRedirectRecords: refused", {
    skip: onlyWine,
  }, () => {
    using s = sockets();
    for (const [, socket] of s.all) {
      const records = "SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS";
      const context = "SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT";
      const set = "SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS";
      refused(
        socket,
        "wfpRedirectRecords",
        records,
        undefined,
        () => sio.wfpRedirectRecords(socket),
      );
      refused(
        socket,
        "wfpRedirectContext",
        context,
        undefined,
        () => sio.wfpRedirectContext(socket),
      );
      refused(
        socket,
        "setWfpRedirectRecords",
        set,
        undefined,
        () => sio.setWfpRedirectRecords(socket, new Uint8Array(16)),
      );
    }
  });
});
