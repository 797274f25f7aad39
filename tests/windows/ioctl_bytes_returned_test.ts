// WinsockError.bytesReturned under Wine's ws2_32: an output too small for SIO_ADDRESS_LIST_QUERY
// fails with WSAEFAULT, and the error carries the size the answer needs, which then fits.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SIO_ADDRESS_LIST_QUERY, SIO_GET_INTERFACE_LIST } from "../../codes/mod.ts";
import { nativeApi } from "../../ffi/select.ts";
import { ioctl } from "../../ioctl.ts";
import { Socket } from "../../socket.ts";
import { assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();

describe(`WinsockError.bytesReturned on ${native.runtime}/${native.os}`, () => {
  test("the size probe: WSAEFAULT carries the size SIO_ADDRESS_LIST_QUERY needs", () => {
    using s = Socket.open("inet", "dgram");
    const e = assertWinsock(
      () => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(8)),
      "WSAEFAULT",
    );
    assert.ok(e.bytesReturned > 8, `bytesReturned ${e.bytesReturned}`);
    assert.equal(
      ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(e.bytesReturned)),
      e.bytesReturned,
    );
    // SIO_GET_INTERFACE_LIST says nothing about the size it needs: 0.
    const none = assertWinsock(
      () => ioctl(s, SIO_GET_INTERFACE_LIST, null, new Uint8Array(75)),
      "WSAEFAULT",
    );
    assert.equal(none.bytesReturned, 0);
  });
});
