// Socket.borrow: a Socket that wsioctl never closes — not on close(), not on dispose, not from the
// FinalizationRegistry — whose close() only detaches. On a handle no Socket owns (a runtime's) it
// stays usable until its own close(); on a handle a Socket owns it is tied to that owner, and acts
// closed once the owner closes the handle or gives it up. Runs under Deno, Bun and Node.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Socket, SocketClosedError, WinsockError } from "../mod.ts";
import { nativeApi } from "../ffi/select.ts";
import { AF_INET } from "../ffi/native.ts";
import { collectGarbage, skipWithoutGc } from "./_helpers/gc.ts";

const LOCAL = "127.0.0.1";
const option = new Float64Array(1);

/** A UDP socket opened through the native layer alone: no Socket owns it. */
function unownedUdp(): bigint {
  const h = nativeApi().socket(AF_INET, 2, 0);
  assert.ok(h >= 0n, `socket() failed: ${nativeApi().lastError()}`);
  return h;
}

/** True while `h` is an open socket (SO_TYPE answers). */
const isOpen = (h: bigint) => nativeApi().getOption(h, "type", option) === 0;

describe("Socket.borrow", () => {
  test("refuses what is not a socket handle, as fromHandle does", () => {
    assert.throws(() => Socket.borrow(3 as never), TypeError);
    assert.throws(() => Socket.borrow(-1n), RangeError);
    const closed = unownedUdp();
    nativeApi().close(closed);
    assert.throws(() => Socket.borrow(closed), (e: unknown) => {
      assert.ok(e instanceof WinsockError);
      return e.name === "WSAENOTSOCK" || e.name === "WSAEBADF";
    });
  });

  test("a handle no Socket owns: close() and using detach, the handle stays open", () => {
    const h = unownedUdp();
    try {
      const b = Socket.borrow(h);
      assert.equal(b.borrowed, true);
      assert.equal(b.handle, h);
      b.bind(LOCAL, 0);
      const port = b.localAddress().port;
      assert.equal(b.getOption("type"), "dgram");
      b.close();
      assert.equal(b.closed, true);
      assert.throws(() => b.handle, SocketClosedError);
      assert.throws(() => b.localAddress(), SocketClosedError);
      b.close(); // idempotent
      assert.ok(isOpen(h), "close() closed the borrowed handle");
      {
        using c = Socket.borrow(h);
        assert.equal(c.localAddress().port, port);
      }
      assert.ok(isOpen(h), "dispose closed the borrowed handle");
      // Still the same socket, still working.
      using d = Socket.borrow(h);
      d.sendTo(new Uint8Array([1, 2]), LOCAL, port);
      assert.equal(d.recvFrom(new Uint8Array(4)).bytes, 2);
    } finally {
      nativeApi().close(h);
    }
  });

  test("the garbage collector never closes a borrowed handle", async (t) => {
    if (skipWithoutGc(t)) return;
    const h = unownedUdp();
    try {
      (() => {
        for (let i = 0; i < 20; i++) Socket.borrow(h);
      })();
      await collectGarbage();
      assert.ok(isOpen(h), "a finalizer closed the borrowed handle");
    } finally {
      nativeApi().close(h);
    }
  });

  test("an owned handle: the owner stays the owner; the borrower detaches alone", () => {
    using owner = Socket.open("inet", "dgram");
    owner.bind(LOCAL, 0);
    const b = Socket.borrow(owner.handle);
    assert.equal(owner.borrowed, false);
    assert.equal(b.localAddress().port, owner.localAddress().port);
    b.close();
    assert.equal(owner.closed, false);
    owner.sendTo(new Uint8Array([9]), LOCAL, owner.localAddress().port);
    assert.equal(owner.recvFrom(new Uint8Array(4)).bytes, 1);
  });

  test("an owned handle: the borrower acts closed once the owner closes it", () => {
    const owner = Socket.open("inet", "stream");
    const h = owner.handle;
    const b = Socket.borrow(h);
    owner.close();
    assert.equal(b.closed, true);
    assert.throws(() => b.getOption("type"), SocketClosedError);
    // The number may be reused meanwhile: the borrower never reaches it again.
    using next = Socket.open("inet", "stream");
    assert.equal(b.closed, true);
    assert.ok(next.handle >= 0n);
  });

  test("an owned handle taken over with fromHandle: the borrower stays, tied to the new owner", () => {
    const first = Socket.open("inet", "dgram");
    const b = Socket.borrow(first.handle);
    const second = Socket.fromHandle(first.handle);
    assert.equal(first.closed, true);
    assert.equal(b.closed, false, "the handle is still open, the same socket");
    assert.equal(b.getOption("type"), "dgram");
    second.close();
    assert.equal(b.closed, true, "closed with the handle");
    assert.throws(() => b.getOption("type"), SocketClosedError);
  });

  test("an owned handle whose owner is collected unclosed: closed, and the borrower with it", async (t) => {
    if (skipWithoutGc(t)) return;
    let h = -1n;
    const b = (() => {
      const owner = Socket.open("inet", "dgram");
      h = owner.handle;
      return Socket.borrow(h);
    })();
    await collectGarbage();
    assert.equal(b.closed, true, "the borrower outlived its lender's handle");
    assert.throws(() => b.localAddress(), SocketClosedError);
    assert.ok(h >= 0n);
  });

  test("fromHandle on a handle that is only borrowed: it becomes the owner", () => {
    const h = unownedUdp();
    const b = Socket.borrow(h);
    const owner = Socket.fromHandle(h);
    assert.equal(b.closed, false, "the handle is still open, the same socket");
    owner.close(); // the owner closes it for real
    assert.ok(!isOpen(h));
    assert.equal(b.closed, true, "the borrower outlived the handle wsioctl closed");
  });
});

/** What a borrower must do once the handle it borrowed was closed by wsioctl: refuse. */
function assertRefuses(b: Socket): void {
  assert.equal(b.closed, true);
  assert.throws(() => b.handle, SocketClosedError);
  assert.throws(() => b.getOption("type"), SocketClosedError);
  assert.throws(() => b.localAddress(), SocketClosedError);
}

describe("the borrower/owner link, in every order of borrow, fromHandle, close and release", () => {
  test("borrow, fromHandle, close: the borrower never reaches the number again", () => {
    const h = unownedUdp();
    const b = Socket.borrow(h);
    const owner = Socket.fromHandle(h);
    owner.close();
    assertRefuses(b);
    // The number comes back for the next socket (the lowest free descriptor on POSIX).
    using next = Socket.open("inet", "stream");
    assertRefuses(b);
    assert.equal(next.getOption("type"), "stream");
  });

  test("fromHandle, borrow, close", () => {
    const owner = Socket.fromHandle(unownedUdp());
    const b = Socket.borrow(owner.handle);
    owner.close();
    assertRefuses(b);
  });

  test("borrow twice, fromHandle, close: both borrowers refuse", () => {
    const h = unownedUdp();
    const [b1, b2] = [Socket.borrow(h), Socket.borrow(h)];
    Socket.fromHandle(h).close();
    assertRefuses(b1);
    assertRefuses(b2);
  });

  test("borrow, fromHandle, the borrower closes: detached only, the owner keeps the handle", () => {
    const h = unownedUdp();
    const b = Socket.borrow(h);
    const owner = Socket.fromHandle(h);
    b.close();
    assert.equal(owner.closed, false);
    assert.ok(isOpen(h));
    owner.bind(LOCAL, 0);
    owner.close();
    assert.ok(!isOpen(h));
  });

  test("borrow, fromHandle, release: the borrower refuses, the handle stays open", () => {
    const h = unownedUdp();
    try {
      const b = Socket.borrow(h);
      const owner = Socket.fromHandle(h);
      assert.equal(owner.release(), h);
      assertRefuses(b);
      assert.ok(isOpen(h));
    } finally {
      nativeApi().close(h);
    }
  });

  test("fromHandle, borrow, release; then borrow again: a new link on the caller's handle", () => {
    const owner = Socket.open("inet", "dgram");
    const b = Socket.borrow(owner.handle);
    const h = owner.release();
    try {
      assertRefuses(b);
      using again = Socket.borrow(h);
      assert.equal(again.closed, false);
      assert.equal(again.getOption("type"), "dgram");
    } finally {
      nativeApi().close(h);
    }
  });

  test("a number closed behind wsioctl's back and handed out again: its old holders refuse", () => {
    const h = unownedUdp();
    const b = Socket.borrow(h);
    const owner = Socket.open("inet", "dgram");
    const owned = owner.handle;
    nativeApi().close(h); // as a runtime closes its own socket
    nativeApi().close(owned); // or a raw close of a Socket's number
    // The next sockets get the lowest free numbers (POSIX): those two.
    const next = [Socket.open("inet", "stream"), Socket.open("inet", "stream")];
    try {
      assert.deepEqual(next.map((s) => s.handle).sort(), [h, owned].sort());
      assertRefuses(b);
      assert.equal(owner.closed, true);
      assert.throws(() => owner.getOption("type"), SocketClosedError);
      owner.close(); // a no-op: it must not close the new socket with its old number
      for (const s of next) assert.equal(s.getOption("type"), "stream");
    } finally {
      for (const s of next) s.close();
    }
  });

  test("borrow, fromHandle, the owner collected unclosed: the borrower refuses", async (t) => {
    if (skipWithoutGc(t)) return;
    const h = unownedUdp();
    const b = Socket.borrow(h);
    (() => {
      Socket.fromHandle(h);
    })();
    await collectGarbage();
    assert.ok(!isOpen(h), "the backstop closed the dropped owner's handle");
    assertRefuses(b);
  });
});
