// sio/notify.ts over the recording fake's scriptable overlapped calls: addressListChange and
// routingInterfaceChange (codes, input, completion, abort, close, Wine's failure through the
// OVERLAPPED), and the async iterables — the next wait armed before the list is read, a clean end
// on abort, `break` cancelling the armed wait and releasing it, closing the socket, failures
// named after the iterable. Every suite runs twice: over Windows' overlapped path, and over the
// POSIX routing-socket watch (`_change_watch.ts`, the fake claiming to be Linux), whose rules are
// the same. The real Linux watch: sio_notify_linux_test.ts; its parsers: posix_notify_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, WinsockError } from "../errors.ts";
import type { NativeApi } from "../ffi/native.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { le, sockaddrIn as sin } from "./_helpers/bytes.ts";
import { type RecordingApi, recordingApi, withFake } from "./_helpers/recording_api.ts";
import { shape } from "./_helpers/sio_record.ts";
import { countTimers } from "./_helpers/timers.ts";
import { collectGarbage, skipWithoutGc } from "./_helpers/gc.ts";
import { tracked } from "./_helpers/settle.ts";

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
const QUERY = 0x48000016;
const ROUTE_CHANGE = 0x88000015;
const ROUTE_QUERY = 0xc8000014;
const BASE = 0x10000n; // the recording fake's bufferAddress

/** A SOCKET_ADDRESS_LIST holding one sockaddr_in of 10.0.0.n. */
const oneAddress = (n: number) => {
  const b = le(40, [0, 4, 1], [8, 8, BASE + 24n], [16, 4, 16]);
  b.set(sin([10, 0, 0, n]), 24);
  return b;
};

/**
 * A fake whose overlapped calls stay pending until the test completes them, whose
 * SIO_ADDRESS_LIST_QUERY answers 10.0.0.<version> and SIO_ROUTING_INTERFACE_QUERY 10.0.1.<version>.
 */
function notifyFake(os: string): RecordingApi & { version: number } {
  const fake = Object.assign(recordingApi(os), { version: 1 });
  fake.answer = (call, output) => {
    if (call.overlapped) return { error: 997 };
    const reply = call.code === QUERY ? oneAddress(fake.version) : sin([10, 0, 1, fake.version]);
    output!.set(reply);
    return reply.length;
  };
  return fake;
}
/** Makes the fake's cancellations land 30 ms late, as a real cancel may. */
function slowCancel(fake: RecordingApi): RecordingApi {
  const api = fake.api as { cancelIo: NativeApi["cancelIo"] };
  const cancel = api.cancelIo;
  api.cancelIo = (s, overlapped) => (setTimeout(() => cancel(s, overlapped), 30), 0);
  return fake;
}
/** The codes the fake saw, in order, overlapped ones marked. */
const codes = (fake: RecordingApi) =>
  fake.calls.map((c) => `${c.overlapped ? "~" : ""}0x${c.code.toString(16)}`);

/** The fake-based suites, over Windows' overlapped path and over the POSIX watch. */
function suite(os: "windows" | "linux"): void {
  describe(`sio addressListChange / routingInterfaceChange: the Promises (${os})`, () => {
    test("addressListChange: overlapped 0x28000017, no buffers; resolves on completion", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const wait = sio.addressListChange(9n, {});
        await tick(20);
        assert.deepEqual(shape(fake.calls[0]), {
          code: "0x28000017",
          input: null,
          inLength: 0,
          hasOutput: false,
          outLength: 0,
          overlapped: true,
        });
        assert.equal(fake.overlapped.length, 1);
        assert.equal(fake.overlapped[0].settled, undefined, "pending");
        fake.overlapped[0].complete(0);
        assert.equal(await wait, undefined);
      });
    });

    test("routingInterfaceChange: overlapped 0x88000015, the sockaddr in (port from opts)", async () => {
      const fake = notifyFake(os);
      fake.answer = () => 0; // completes (fires) at once
      await withFake(fake, () => sio.routingInterfaceChange(9n, "192.0.2.1", { port: 80 }));
      assert.equal(fake.calls.length, 1);
      assert.deepEqual(shape(fake.calls[0]), {
        code: "0x88000015",
        input: [...sin([192, 0, 2, 1], 80)],
        inLength: 16,
        hasOutput: false,
        outLength: 0,
        overlapped: true,
      });
    });

    test("abort cancels and rejects with the reason; closing the Socket rejects named", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const controller = new AbortController();
        const wait = sio.addressListChange(9n, { signal: controller.signal });
        await tick();
        const reason = new Error("enough");
        controller.abort(reason);
        await assert.rejects(wait, (e) => e === reason);
        assert.equal(fake.overlapped[0].cancelled, true);
        const s = Socket.open("inet", "dgram");
        const closed = sio.routingInterfaceChange(s, "192.0.2.1");
        await tick();
        s.close();
        await closedError(closed, "routingInterfaceChange");
      });
    });

    test("Wine's failure through the OVERLAPPED comes out as WSAEOPNOTSUPP named, with a hint", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const wait = sio.routingInterfaceChange(9n, "192.0.2.1");
        await tick();
        fake.overlapped[0].complete({ error: 10045 });
        await assert.rejects(wait, (e: unknown) => {
          assert.ok(e instanceof WinsockError, String(e));
          assert.equal(e.code, 10045);
          assert.equal(e.typedCall, "routingInterfaceChange");
          assert.equal(e.ioctl, "SIO_ROUTING_INTERFACE_CHANGE");
          assert.match(e.hint ?? "", /Wine/);
          return true;
        });
      });
    });
  });

  describe(`sio addressListChanges / routingInterfaceChanges: the async iterables (${os})`, () => {
    test("bad arguments and a closed Socket throw at call time, not from next()", async () => {
      const fake = notifyFake(os);
      await withFake(fake, () => {
        const bad = <T>(v: unknown) => v as T;
        assert.throws(() => sio.addressListChanges(9n, { initial: bad(1) }), TypeError);
        assert.throws(() => sio.routingInterfaceChanges(9n, "::1", { port: -1 }), RangeError);
        assert.throws(() => sio.routingInterfaceChanges(9n, bad(undefined)), TypeError);
        const s = Socket.open("inet", "dgram");
        s.close();
        assert.throws(() => sio.addressListChanges(s), /^SocketClosedError: addressListChanges: /);
        assert.throws(() => sio.routingInterfaceChanges(s, "10.0.0.1"), SocketClosedError);
      });
      assert.deepEqual(codes(fake), []);
    });

    test("each round arms the next SIO_ADDRESS_LIST_CHANGE before the QUERY that reads the list", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const changes = sio.addressListChanges(9n);
        const first = changes.next();
        await tick(20);
        assert.deepEqual(codes(fake), ["~0x28000017"], "one wait armed, nothing read");
        fake.version = 2;
        fake.overlapped[0].complete(0);
        assert.deepEqual(await first, {
          done: false,
          value: [{ family: "inet", address: "10.0.0.2", port: 0 }],
        });
        assert.deepEqual(codes(fake), ["~0x28000017", "~0x28000017", "0x48000016"]);
        assert.equal(fake.overlapped[1].settled, undefined, "the next wait is armed, pending");
        // A change while the caller is busy completes the wait already armed: not lost.
        fake.version = 3;
        fake.overlapped[1].complete(0);
        await tick();
        const second = await changes.next();
        assert.deepEqual(second.value, [{ family: "inet", address: "10.0.0.3", port: 0 }]);
        assert.deepEqual(codes(fake).slice(3), ["~0x28000017", "0x48000016"]);
        await changes.return!();
        assert.equal(fake.overlapped[2].cancelled, true);
      });
    });

    test("initial: the current list first, read after the first wait is armed", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const changes = sio.addressListChanges(9n, { initial: true });
        const { value } = await changes.next();
        assert.deepEqual(value, [{ family: "inet", address: "10.0.0.1", port: 0 }]);
        assert.deepEqual(codes(fake), ["~0x28000017", "0x48000016"]);
        await changes.return!();
      });
    });

    test("break cancels the armed wait and waits until it let go of its buffers", async () => {
      const fake = slowCancel(notifyFake(os));
      await withFake(fake, async () => {
        let rounds = 0;
        const done = (async () => {
          for await (const _ of sio.addressListChanges(9n)) {
            rounds++;
            break;
          }
        })();
        await tick();
        fake.overlapped[0].complete(0);
        await done;
        assert.equal(rounds, 1);
        assert.equal(fake.overlapped.length, 2);
        assert.equal(fake.overlapped[1].cancelled, true);
        assert.deepEqual(
          fake.overlapped[1].settled,
          { error: 995 },
          "settled before the loop ended",
        );
        assert.ok(fake.log.includes(os === "windows" ? "cancelIo" : "closeWatch"));
      });
    });

    test("aborting ends the iteration cleanly (done, no throw) and cancels the wait", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const controller = new AbortController();
        const seenLists: unknown[] = [];
        const loop = (async () => {
          for await (const list of sio.addressListChanges(9n, { signal: controller.signal })) {
            seenLists.push(list);
          }
        })();
        await tick();
        fake.overlapped[0].complete(0);
        await tick(20);
        controller.abort(new Error("stop"));
        await loop; // resolves: no throw
        assert.equal(seenLists.length, 1);
        assert.equal(fake.overlapped[1].cancelled, true);
        assert.notEqual(fake.overlapped[1].settled, undefined);
      });
    });

    test("an already aborted signal: done at once, no native call", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const changes = sio.addressListChanges(9n, { signal: AbortSignal.abort() });
        assert.deepEqual(await changes.next(), { done: true, value: undefined });
      });
      assert.deepEqual(fake.log, []);
    });

    test("return() during a pending next(): both settle, the wait cancelled", async () => {
      const fake = slowCancel(notifyFake(os));
      await withFake(fake, async () => {
        const changes = sio.addressListChanges(9n);
        const pending = changes.next();
        await tick();
        assert.deepEqual(await changes.return!(), { done: true, value: undefined });
        assert.deepEqual(await pending, { done: true, value: undefined });
        assert.equal(fake.overlapped[0].cancelled, true);
        assert.deepEqual(await changes.next(), { done: true, value: undefined });
      });
    });

    for (const end of ["close", "release"] as const) {
      test(`${end}() on the Socket rejects the pending next() named after the iterable; then done`, async () => {
        const fake = notifyFake(os);
        await withFake(fake, async () => {
          const s = Socket.open("inet", "dgram");
          const changes = sio.addressListChanges(s);
          const pending = changes.next();
          await tick();
          s[end]();
          await assert.rejects(pending, (e: unknown) => {
            assert.ok(e instanceof SocketClosedError, String(e));
            assert.match(e.message, /^addressListChanges: socket is closed/);
            return true;
          });
          assert.deepEqual(await changes.next(), { done: true, value: undefined });
          // Windows: release() cancelled the wait on its OVERLAPPED; close() left it to the
          // closing handle. POSIX: the watch was closed either way.
          assert.equal(fake.overlapped[0].cancelled, os !== "windows" || end === "release");
          assert.equal(fake.log.includes("close"), end === "close");
        });
      });
    }

    test("a failing read ends the stream, named after the iterable, the armed wait cancelled", async () => {
      const fake = notifyFake(os);
      const answer = fake.answer;
      fake.answer = (call, output) => call.code === QUERY ? { error: 10022 } : answer(call, output);
      await withFake(fake, async () => {
        const changes = sio.addressListChanges(9n, { initial: true });
        await assert.rejects(changes.next(), (e: unknown) => {
          assert.ok(e instanceof WinsockError, String(e));
          assert.equal(e.typedCall, "addressListChanges");
          assert.equal(e.ioctl, "SIO_ADDRESS_LIST_QUERY");
          return true;
        });
        assert.equal(fake.overlapped[0].cancelled, true);
      });
    });

    test("routingInterfaceChanges: yields the interface; its sockaddr survives other calls", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const changes = sio.routingInterfaceChanges(9n, "192.0.2.1", { port: 7 });
        const first = changes.next();
        await tick();
        sio.routingInterface(9n, "198.51.100.9"); // rewrites the library's scratch address
        fake.version = 4;
        fake.overlapped[0].complete(0);
        assert.deepEqual(await first, {
          done: false,
          value: { family: "inet", address: "10.0.1.4", port: 0 },
        });
        const target = [...sin([192, 0, 2, 1], 7)];
        const own = fake.calls.filter((c) => c.code !== ROUTE_QUERY || c.input![4] === 192);
        assert.deepEqual(codes({ ...fake, calls: own }), [
          "~0x88000015",
          "~0x88000015",
          "0xc8000014",
        ]);
        for (const c of own) assert.deepEqual([...c.input!], target);
        await changes.return!();
      });
    });

    test("routingInterfaceChanges: Wine's immediate failure rejects the first next()", async () => {
      const fake = notifyFake(os);
      fake.answer = (call) => call.code === ROUTE_CHANGE ? { error: 10045 } : 0;
      await withFake(fake, async () => {
        const changes = sio.routingInterfaceChanges(9n, "::1");
        await assert.rejects(changes.next(), (e: unknown) => {
          assert.ok(e instanceof WinsockError, String(e));
          assert.equal(e.code, 10045);
          assert.equal(e.typedCall, "routingInterfaceChanges");
          return true;
        });
        assert.deepEqual(await changes.next(), { done: true, value: undefined });
      });
    });

    test("next() calls queue: the second waits for the following change", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const changes = sio.addressListChanges(9n);
        const [a, b] = [changes.next(), changes.next()];
        await tick();
        fake.overlapped[0].complete(0);
        assert.equal((await a).done, false);
        await tick(20);
        assert.equal(fake.overlapped.length, 2, "one wait armed for b, not two");
        fake.version = 5;
        fake.overlapped[1].complete(0);
        assert.deepEqual((await b).value, [{ family: "inet", address: "10.0.0.5", port: 0 }]);
        await changes.return!();
      });
    });
  });

  /** The rejection of `p`: a SocketClosedError named after `call`. */
  async function closedError(p: Promise<unknown>, call: string): Promise<void> {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof SocketClosedError, String(e));
      assert.match(e.message, new RegExp(`^${call}: socket is closed`));
      return true;
    });
  }

  describe(`sio notifications on a borrowed Socket: close() settles them (${os})`, () => {
    test("addressListChange: SocketClosedError; only its own operation is cancelled", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const owner = Socket.open("inet", "dgram");
        const b = Socket.borrow(owner.handle);
        const mine = sio.addressListChange(b);
        const owners = tracked(sio.addressListChange(owner));
        const raw = tracked(sio.addressListChange(owner.handle));
        await tick();
        b.close();
        await closedError(mine, "addressListChange");
        assert.deepEqual(fake.overlapped.map((o) => o.cancelled), [true, false, false]);
        assert.ok(!fake.log.includes("close"), "a borrower closed the handle");
        await tick(20);
        assert.equal(owners.settled(), false, "the owner's wait was touched");
        assert.equal(raw.settled(), false, "the raw handle's wait was touched");
        owner.close();
        await closedError(owners.promise, "addressListChange");
        await assert.rejects(
          raw.promise,
          (e: unknown) => e instanceof WinsockError && e.code === 995,
        );
      });
    });

    test("a handle no Socket owns (a runtime's): the wait is cancelled, the handle stays open", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const h = fake.api.socket(2, 2, 0);
        const b = Socket.borrow(h);
        const wait = sio.routingInterfaceChange(b, "192.0.2.1");
        await tick();
        b.close();
        await closedError(wait, "routingInterfaceChange");
        assert.equal(fake.overlapped[0].cancelled, true);
        assert.deepEqual(fake.log.filter((c) => c === "close"), []);
      });
    });

    test("addressListChanges: the wait under way, or the one armed between rounds", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const h = fake.api.socket(2, 2, 0);
        const waiting = sio.addressListChanges(Socket.borrow(h));
        const b = Socket.borrow(h);
        const armed = sio.addressListChanges(b, { initial: true });
        assert.equal((await armed.next()).done, false); // the next wait is armed, nobody waits
        const pending = tracked(waiting.next());
        await tick();
        b.close();
        await closedError(armed.next(), "addressListChanges");
        assert.deepEqual(await armed.next(), { done: true, value: undefined });
        // The other borrower's loop goes on until its own Socket closes.
        await tick(20);
        assert.equal(pending.settled(), false);
        assert.deepEqual(fake.overlapped.map((o) => o.cancelled), [true, false]);
        await waiting.return!();
        assert.deepEqual(await pending.promise, { done: true, value: undefined });
      });
    });
  });

  describe(`sio notifications: abort and abandoned iterators (${os})`, () => {
    test("an abort wakes the wait under way, even one that does not see the signal", {
      skip: os !== "windows" && "a wait on an event: Windows' overlapped path",
    }, async () => {
      const fake = notifyFake(os);
      fake.threadWaits = true; // as a wait on another thread (Deno, Node)
      await withFake(fake, async () => {
        const starts = [
          (signal: AbortSignal) => sio.addressListChange(9n, { signal }),
          (signal: AbortSignal) => sio.addressListChanges(9n, { signal }).next(),
        ];
        for (const start of starts) {
          const controller = new AbortController();
          const wait = start(controller.signal);
          await tick(20);
          assert.equal(fake.waiting(), 1, "a wait is under way");
          const at = fake.waits.length;
          controller.abort(new Error("stop"));
          await wait.then(() => {}, () => {});
          assert.equal(fake.waits[at], "signalled", "the wait ran out its slice instead");
          assert.equal(fake.overlapped.at(-1)!.cancelled, true);
        }
      });
    });

    test("an iterator dropped between two next() calls: nothing waits; collected, its wait is cancelled", async (t) => {
      if (skipWithoutGc(t)) return;
      const fake = notifyFake(os);
      using timers = countTimers();
      await withFake(fake, async () => {
        await (async () => {
          const changes = sio.addressListChanges(9n);
          const first = changes.next();
          await tick();
          fake.overlapped[0].complete(0);
          assert.equal((await first).done, false);
        })();
        assert.equal(fake.overlapped.length, 2, "the next wait is armed");
        await tick(20);
        assert.equal(fake.waiting(), 0, "a wait (and its timer) runs for nobody");
        assert.equal(timers.live(), 0, "a timer runs for nobody");
        await collectGarbage();
        assert.equal(fake.overlapped[1].cancelled, true, "the dropped iterator's wait goes on");
      });
    });

    test("an abort between two next() calls cancels the armed wait at once", async () => {
      const fake = notifyFake(os);
      await withFake(fake, async () => {
        const controller = new AbortController();
        const changes = sio.addressListChanges(9n, { signal: controller.signal, initial: true });
        assert.equal((await changes.next()).done, false);
        controller.abort();
        assert.equal(fake.overlapped[0].cancelled, true);
        assert.deepEqual(await changes.next(), { done: true, value: undefined });
      });
    });
  });
}

suite("windows");
suite("linux");

describe("the POSIX watch (the fake claiming Linux): nothing left once a wait settled", () => {
  /** The watchers opened and closed so far. */
  const opened = (fake: RecordingApi) => fake.log.filter((c) => c === "watchChange").length;
  const closed = (fake: RecordingApi) => fake.log.filter((c) => c === "closeWatch").length;

  test("every way a wait ends closes its watcher and clears its timer", async () => {
    const fake = notifyFake("linux");
    using timers = countTimers();
    await withFake(fake, async () => {
      const ends: [string, (s: Socket) => Promise<unknown>][] = [];
      const controller = new AbortController();
      const s = Socket.open("inet", "dgram");
      ends.push(["completed", async (sock) => {
        const p = sio.addressListChange(sock);
        await tick(20);
        fake.overlapped.at(-1)!.complete(0);
        return await p;
      }]);
      ends.push(["failed", async (sock) => {
        const p = sio.routingInterfaceChange(sock, "192.0.2.1");
        await tick(20);
        fake.overlapped.at(-1)!.complete({ error: 10050 }); // WSAENETDOWN
        return await p.catch((e: WinsockError) => e.code);
      }]);
      ends.push(["aborted", async (sock) => {
        const p = sio.addressListChange(sock, { signal: controller.signal });
        await tick(20);
        controller.abort();
        return await p.catch((e) => e === controller.signal.reason);
      }]);
      ends.push(["released", async () => {
        const own = Socket.open("inet", "dgram");
        const h = own.handle;
        const p = sio.addressListChange(own);
        await tick(20);
        own.release();
        fake.api.close(h);
        return await p.catch((e) => e instanceof SocketClosedError);
      }]);
      const outcomes = [];
      for (const [what, end] of ends) {
        outcomes.push([what, await end(s)]);
        assert.equal(closed(fake), opened(fake), `${what}: a watcher left open`);
        assert.equal(timers.live(), 0, `${what}: a timer left`);
      }
      assert.deepEqual(outcomes, [
        ["completed", undefined],
        ["failed", 10050],
        ["aborted", true],
        ["released", true],
      ]);
      s.close();
    });
  });

  test("a watch that cannot start rejects at once, named after the call; nothing opened", async () => {
    const fake = notifyFake("linux");
    fake.answer = () => ({ error: 10038 }); // WSAENOTSOCK
    await withFake(fake, async () => {
      await assert.rejects(sio.addressListChange(9n), (e: unknown) => {
        assert.ok(e instanceof WinsockError, String(e));
        assert.equal(e.code, 10038);
        assert.equal(e.typedCall, "addressListChange");
        assert.equal(e.ioctl, "SIO_ADDRESS_LIST_CHANGE");
        return true;
      });
      const changes = sio.routingInterfaceChanges(9n, "192.0.2.1");
      await assert.rejects(changes.next(), (e: unknown) => e instanceof WinsockError);
      assert.deepEqual(await changes.next(), { done: true, value: undefined });
    });
    assert.equal(closed(fake), 0);
  });

  test("a raw handle's wait ends with WSA_OPERATION_ABORTED (995) when its owner closes it", async () => {
    const fake = notifyFake("linux");
    await withFake(fake, async () => {
      const s = Socket.open("inet", "dgram");
      const raw = sio.addressListChange(s.handle);
      await tick(20);
      s.close();
      await assert.rejects(raw, (e: unknown) => {
        assert.ok(e instanceof WinsockError, String(e));
        assert.equal(e.code, 995);
        assert.equal(e.typedCall, "addressListChange");
        return true;
      });
      assert.equal(closed(fake), 1);
    });
  });
});
