// The change notifications on real Linux sockets, under Deno, Bun and Node, on wsioctl Sockets and
// node:dgram sockets (each runtime's own node: module): the machine's network is really changed
// with `ip` (loopback addresses and routes to documentation prefixes, always removed in
// `finally`): an address added or removed settles addressListChange within 2 s while a wait of
// the other family stays pending and timers keep firing; a route to the destination settles
// routingInterfaceChange, a route elsewhere does not; the iterables follow both. These need
// root and iproute2: without them they are skipped, saying so. Without root: 200 start/abort
// rounds leave /proc/self/fd and the timers as they were, and closing, releasing or a borrowed
// close settle a real wait with SocketClosedError. The same rules over the recording fake:
// sio_notify_test.ts; the routing-socket parsers: posix_notify_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import process from "node:process";
import { SocketClosedError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import * as sio from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { rejectionWithin, tracked } from "./_helpers/settle.ts";
import { countTimers } from "./_helpers/timers.ts";

const linux = nativeApi().os === "linux";
const ipv6 = existsSync("/proc/net/if_inet6");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `ip` with `args`; its error output in the thrown error. */
function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Runs `ip` with `args`, ignoring a failure (the clean-up of what may not be there). */
function ipQuiet(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // not there
  }
}

/** Why the network cannot be changed here, or false when it can. */
function noChanges(): string | false {
  if (!linux) return "real Linux changes: run on Linux";
  if (process.getuid?.() !== 0) {
    return "skipped: changing addresses and routes needs root (CI runs as root)";
  }
  try {
    ip("-V");
  } catch {
    if (process.env.CI) throw new Error("ip (iproute2) not found: .ci/run installs it");
    return "skipped: ip (iproute2) not found";
  }
  return false;
}
const skipChanges = noChanges();
if (skipChanges && linux) console.log(`sio_notify_linux_test: ${skipChanges}`);

/** The lock that keeps two runs on one machine (other checkouts, other runtimes) apart. */
const LOCK = "/tmp/wsioctl-network-changes.lock";

/** Runs `fn` holding {@link LOCK} (a directory; one left by a dead process is taken over). */
async function withNetworkLock<T>(fn: () => Promise<T>): Promise<T> {
  const end = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/pid`, String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(`${LOCK}/pid`, "utf8"));
        process.kill(owner, 0);
      } catch {
        if (owner > 0) rmSync(LOCK, { recursive: true, force: true }); // its owner is gone
      }
      if (Date.now() > end) throw new Error(`${LOCK} held by process ${owner}`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** `p`, failing when it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A node:dgram socket of `type`, bound to `address`. */
async function runtimeUdp(type: "udp4" | "udp6", address: string): Promise<dgram.Socket> {
  const u = dgram.createSocket(type);
  await new Promise<void>((resolve) => u.bind(0, address, resolve));
  return u;
}

/** The sockets among this process's descriptors (the runtime opens and closes files of its own). */
function descriptors(): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith("socket:");
    } catch {
      return false; // closed meanwhile (the directory's own descriptor)
    }
  }).length;
}

describe("change notifications on Linux: real changes (root, ip)", { skip: skipChanges }, () => {
  const CASES = [
    {
      family: "inet",
      address: ["127.0.0.77/32", "dev", "lo"],
      other: "inet6",
      runtime: ["udp4", "127.0.0.1"],
    },
    {
      family: "inet6",
      address: ["2001:db8::77/128", "dev", "lo", "nodad"],
      other: "inet",
      runtime: ["udp6", "::1"],
    },
  ] as const;
  for (const c of CASES) {
    test(
      `addressListChange (${c.family}): ip addr add and del settle it within 2 s; the ${c.other} wait stays pending`,
      {
        skip: !ipv6 && "no IPv6 on this machine",
      },
      async () => {
        await withNetworkLock(async () => {
          ipQuiet("addr", "del", ...c.address);
          using s = Socket.open(c.family, "dgram");
          using other = Socket.open(c.other, "dgram");
          const rt = await runtimeUdp(c.runtime[0], c.runtime[1]);
          let ticks = 0;
          const interval = setInterval(() => ticks++, 10);
          try {
            for (const change of ["add", "del"]) {
              const stop = new AbortController();
              const mine = tracked(sio.addressListChange(s));
              const runtime = tracked(sio.addressListChange(rt));
              const theirs = tracked(sio.addressListChange(other, { signal: stop.signal }));
              const before = ticks;
              await sleep(300);
              assert.equal(mine.settled() || runtime.settled(), false, "settled with no change");
              assert.ok(ticks - before >= 2, `timers fired ${ticks - before} times in 300 ms`);
              ip("addr", change, ...c.address);
              await within(mine.promise, 2000, `addr ${change}: the Socket's wait`);
              await within(runtime.promise, 2000, `addr ${change}: node:dgram's wait`);
              await sleep(100);
              assert.equal(theirs.settled(), false, `the ${c.other} wait settled`);
              stop.abort();
              await assert.rejects(theirs.promise, (e) => e === stop.signal.reason);
            }
          } finally {
            clearInterval(interval);
            ipQuiet("addr", "del", ...c.address);
            await new Promise<void>((resolve) => rt.close(resolve));
          }
        });
      },
    );
  }

  const ROUTES = [
    {
      family: "inet",
      to: "198.51.100.1",
      route: ["198.51.100.0/24", "dev", "lo"],
      elsewhere: ["203.0.113.0/24", "dev", "lo"],
      ip: [] as string[],
    },
    {
      family: "inet6",
      to: "2001:db8:1::1",
      route: ["2001:db8:1::/64", "dev", "lo"],
      elsewhere: ["2001:db8:2::/64", "dev", "lo"],
      ip: ["-6"],
    },
  ] as const;
  for (const r of ROUTES) {
    test(
      `routingInterfaceChange(s, "${r.to}"): a route to it settles it, a route elsewhere does not; the iterable follows`,
      {
        skip: r.family === "inet6" && !ipv6 && "no IPv6 on this machine",
      },
      async () => {
        await withNetworkLock(async () => {
          ipQuiet(...r.ip, "route", "del", ...r.route);
          ipQuiet(...r.ip, "route", "del", ...r.elsewhere);
          using s = Socket.open(r.family, "dgram");
          try {
            const wait = tracked(sio.routingInterfaceChange(s, r.to));
            const changes = sio.routingInterfaceChanges(s, r.to);
            const next = tracked(changes.next());
            await sleep(100);
            ip(...r.ip, "route", "add", ...r.elsewhere);
            await sleep(400);
            assert.equal(wait.settled(), false, "a route elsewhere settled it");
            assert.equal(next.settled(), false, "a route elsewhere moved the iterable");
            ip(...r.ip, "route", "add", ...r.route);
            await within(wait.promise, 2000, "route add");
            const first = await within(next.promise, 2000, "route add: the iterable");
            assert.equal(first.done, false);
            assert.equal(first.value?.family, r.family);
            // The next wait was armed before the value was read: the removal is seen too.
            ip(...r.ip, "route", "del", ...r.route);
            const second = await within(changes.next(), 2000, "route del: the iterable");
            assert.equal(second.done, false);
            assert.deepEqual(await changes.return!(), { done: true, value: undefined });
          } finally {
            ipQuiet(...r.ip, "route", "del", ...r.route);
            ipQuiet(...r.ip, "route", "del", ...r.elsewhere);
          }
        });
      },
    );
  }
});

describe("change notifications on Linux: nothing left behind", {
  skip: !linux && "real Linux sockets: run on Linux",
}, () => {
  test("200 start/abort rounds leave the descriptors and the timers as they were; an abort settles at once", async () => {
    using s = Socket.open("inet", "dgram");
    const rt = await runtimeUdp("udp4", "127.0.0.1");
    try {
      const starts = [
        (signal: AbortSignal) => sio.addressListChange(s, { signal }),
        (signal: AbortSignal) => sio.routingInterfaceChange(s, "192.0.2.1", { signal }),
        (signal: AbortSignal) => sio.addressListChange(rt, { signal }),
        (signal: AbortSignal) => sio.addressListChanges(s, { signal }).next(),
      ];
      const fds = descriptors();
      using timers = countTimers();
      for (let i = 0; i < 200; i++) {
        const controller = new AbortController();
        const wait = starts[i % starts.length](controller.signal);
        if (i % 2 === 1) await sleep(0); // under way, its timer armed
        const reason = new Error(`round ${i}`);
        controller.abort(reason);
        const outcome = await within(wait.then((v) => v, (e) => e), 1000, `round ${i}'s abort`);
        // The iterable ends cleanly on an abort; the Promises reject with its reason.
        if (i % 4 === 3) assert.deepEqual(outcome, { done: true, value: undefined });
        else assert.equal(outcome, reason);
        assert.equal(timers.live(), 0, `round ${i}: a timer left`);
      }
      assert.equal(descriptors(), fds, "descriptors left open");
      // An iterator's break closes the wait it armed.
      const changes = sio.addressListChanges(s, { initial: true });
      assert.equal((await changes.next()).done, false);
      assert.equal(descriptors(), fds + 1, "the next wait is armed: one routing socket");
      await changes.return!();
      assert.equal(descriptors(), fds);
      assert.equal(timers.live(), 0);
    } finally {
      await new Promise<void>((resolve) => rt.close(resolve));
    }
  });

  for (const end of ["close", "release", "borrowed close"] as const) {
    test(`${end}: a real wait settles with SocketClosedError, its routing socket closed`, async () => {
      const owner = Socket.open("inet", "dgram");
      const h = owner.handle;
      const fds = descriptors();
      const s = end === "borrowed close" ? Socket.borrow(owner.handle) : owner;
      using timers = countTimers();
      const wait = sio.addressListChange(s);
      const changes = sio.routingInterfaceChanges(s, "192.0.2.1", { initial: true });
      assert.equal((await changes.next()).done, false); // armed between rounds
      const pending = changes.next();
      await sleep(20);
      assert.equal(descriptors(), fds + 2, "two routing sockets");
      if (end === "release") s.release();
      else s.close();
      for (const [p, call] of [[wait, "addressListChange"], [pending, "routingInterfaceChanges"]]) {
        const e = await rejectionWithin(p as Promise<unknown>, 1000);
        assert.ok(e instanceof SocketClosedError, String(e));
        assert.match(e.message, new RegExp(`^${call}: socket is closed`));
      }
      assert.equal(descriptors(), fds - (end === "close" ? 1 : 0), "descriptors left open");
      assert.equal(timers.live(), 0);
      if (end === "release") Socket.fromHandle(h).close();
      else owner.close();
    });
  }
});
