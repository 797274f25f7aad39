// POSIX-only behaviour of the native layer on real descriptors (pipes, files, sockets, child
// processes), through the public API where one exists. Runs on Linux under Deno, Bun and Node
// (koffi); skipped on Windows. The /proc checks are Linux-only.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIONBIO, FIONREAD, SIOCATMARK } from "../codes/mod.ts";
import { WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { oobMark, sendUrgent, tcpPair } from "./_helpers/pair.ts";

const native = nativeApi();
const posix = native.os !== "windows";
const linux = native.os === "linux";

/** The open flags of one of this process's descriptors (Linux: /proc/self/fdinfo). */
function openFlags(fd: number): number {
  const line = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").split("\n")
    .find((l) => l.startsWith("flags:"));
  assert.ok(line !== undefined, `no flags line for fd ${fd}`);
  return parseInt(line.slice("flags:".length).trim(), 8);
}
const O_NONBLOCK = 0o4000; // Linux (asm-generic/fcntl.h)
const O_CLOEXEC = 0o2000000;

/** A fresh directory, removed by the returned function. */
function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "wsioctl-posix-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Waits (bounded) until FIONREAD on `s` reports at least `n`. */
function waitReadable(s: Socket, n: number): number {
  const out = new Uint32Array(1);
  const deadline = Date.now() + 2000;
  do {
    ioctl(s, FIONREAD, null, out);
    if (out[0] >= n) return out[0];
  } while (Date.now() < deadline);
  return out[0];
}

describe(`POSIX descriptors on ${native.runtime}/${native.os}`, { skip: !posix }, () => {
  test("ioctl on a pipe is WSAENOTSOCK and leaves the pipe alone", () => {
    const tmp = tempDir();
    try {
      const fifo = join(tmp.dir, "fifo");
      const made = spawnSync("mkfifo", [fifo]);
      assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
      // Read-write: the open does not wait for a peer (Linux and the BSDs).
      const fd = openSync(fifo, "r+");
      try {
        writeSync(fd, "hello");
        const handle = BigInt(fd);
        const before = linux ? openFlags(fd) : 0;
        const out = new Uint32Array([0xdeadbeef]);
        const e = assertWinsock(() => ioctl(handle, FIONREAD, null, out), "WSAENOTSOCK");
        assert.equal(e.code, 10038);
        assert.equal(e.ioctl, "FIONREAD");
        assert.equal(out[0], 0xdeadbeef, "nothing written to the output");
        for (const on of [1, 0, 1]) {
          const f = assertWinsock(
            () => ioctl(handle, FIONBIO, new Uint32Array([on])),
            "WSAENOTSOCK",
          );
          assert.equal(f.code, 10038);
          if (linux) assert.equal(openFlags(fd), before, "O_NONBLOCK unchanged");
        }
        if (linux) assert.equal(openFlags(fd) & O_NONBLOCK, 0);
        const m = assertWinsock(() => ioctl(handle, SIOCATMARK, null, out), "WSAENOTSOCK");
        assert.equal(m.code, 10038);
        assert.equal(out[0], 0xdeadbeef);
      } finally {
        closeSync(fd);
      }
    } finally {
      tmp.remove();
    }
  });

  test("ioctl on a regular file is WSAENOTSOCK", () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, "data");
      writeFileSync(path, "0123456789");
      const fd = openSync(path, "r");
      try {
        const out = new Uint32Array([7]);
        const e = assertWinsock(() => ioctl(BigInt(fd), FIONREAD, null, out), "WSAENOTSOCK");
        assert.equal(e.code, 10038);
        assert.equal(out[0], 7);
        const before = linux ? openFlags(fd) : 0;
        assertWinsock(() => ioctl(BigInt(fd), FIONBIO, new Uint32Array([1])), "WSAENOTSOCK");
        if (linux) assert.equal(openFlags(fd), before);
      } finally {
        closeSync(fd);
      }
    } finally {
      tmp.remove();
    }
  });

  test("a handle beyond a C int is never cut down to a descriptor", () => {
    assert.equal(native.maxHandle, 0x7fffffffn);
    const p = tcpPair();
    try {
      p.client.send(new Uint8Array(5));
      assert.equal(waitReadable(p.peer, 5), 5);
      const h = p.peer.handle;
      const out = new Uint32Array([0xdeadbeef]);
      for (const alias of [2n ** 32n + h, 2n ** 63n + h, 2n ** 64n - 2n ** 32n + h]) {
        // The public call refuses it (socket.ts checks maxHandle): never FIONREAD of the real
        // socket.
        assert.throws(() => ioctl(alias, FIONREAD, null, out), RangeError);
        assert.equal(out[0], 0xdeadbeef);
      }
      // The port itself (defence in depth): every method, WSAENOTSOCK.
      const alias = 2n ** 32n + h;
      const value = new Float64Array(1);
      const addr = new Uint8Array(28);
      const len = new Int32Array(1);
      const calls: [string, () => number | bigint][] = [
        ["wsaIoctl", () => native.wsaIoctl(alias, FIONREAD, null, 0, new Uint8Array(4), 4)],
        ["getOption", () => native.getOption(alias, "type", value)],
        ["setOption", () => native.setOption(alias, "noDelay", 1)],
        ["recv", () => native.recv(alias, new Uint8Array(1), 1, 2)],
        ["send", () => native.send(alias, new Uint8Array(1), 1, 0)],
        ["localName", () => native.localName(alias, addr, len)],
        ["peerName", () => native.peerName(alias, addr, len)],
        ["listen", () => native.listen(alias, 1)],
        ["accept", () => native.accept(alias, addr, len)],
        ["close", () => native.close(alias)],
      ];
      for (const [name, call] of calls) {
        assert.equal(Number(call()), -1, name);
        assert.equal(native.lastError(), 10038, name);
      }
      for (const bad of [-1n, 2n ** 31n, 2n ** 64n - 1n]) {
        assert.equal(native.close(bad), -1);
        assert.equal(native.lastError(), 10038);
      }
      // The real socket survived all of that, its 5 bytes unread.
      assert.equal(ioctl(p.peer, FIONREAD, null, out), 4);
      assert.equal(out[0], 5);
    } finally {
      p.close();
    }
  });

  test("sockets are close-on-exec: a child process inherits none of them", { skip: !linux }, () => {
    const p = tcpPair();
    try {
      const ours = new Map<string, string>();
      const roles: [string, Socket][] = [
        ["listener", p.server],
        ["opened", p.client],
        ["accepted", p.peer],
      ];
      for (const [role, s] of roles) {
        const fd = Number(s.handle);
        assert.equal(openFlags(fd) & O_CLOEXEC, O_CLOEXEC, `${role} socket has O_CLOEXEC`);
        ours.set(readlinkSync(`/proc/self/fd/${fd}`), role);
      }
      // What the child's own descriptor table holds (socket:[inode], pipe:[inode], paths); the
      // glob's own directory descriptor is gone by the time readlink runs.
      const child = spawnSync("sh", ["-c", 'for f in /proc/$$/fd/*; do readlink "$f" || :; done'], {
        encoding: "utf8",
      });
      assert.equal(child.status, 0, child.stderr);
      const held = child.stdout.split("\n").filter((l) => l !== "");
      assert.ok(held.length >= 3, `the child listed its descriptors: ${held}`);
      for (const target of held) {
        assert.ok(!ours.has(target), `the ${ours.get(target)} socket leaked into the child`);
      }
    } finally {
      p.close();
    }
  });

  test("a socket accepted from a nonblocking listener is nonblocking", () => {
    using server = Socket.open("inet", "stream");
    server.bind("127.0.0.1", 0);
    server.listen();
    ioctl(server, FIONBIO, new Uint32Array([1]));
    using client = Socket.open("inet", "stream");
    client.connect("127.0.0.1", server.localAddress().port);
    let peer: Socket | undefined;
    for (const end = Date.now() + 2000; peer === undefined && Date.now() < end;) {
      try {
        peer = server.accept();
      } catch (e) {
        if (!(e instanceof WinsockError && e.name === "WSAEWOULDBLOCK")) throw e;
      }
    }
    assert.ok(peer !== undefined, "the connection was accepted");
    try {
      if (linux) assert.equal(openFlags(Number(peer.handle)) & O_NONBLOCK, O_NONBLOCK);
      // Should it block after all, the receive timeout ends the wait: a failure after ~2 s,
      // not a hung test. A nonblocking recv answers at once.
      peer.setOption("receiveTimeout", 2000);
      const start = Date.now();
      const e = assertWinsock(() => peer.recv(new Uint8Array(8)), "WSAEWOULDBLOCK");
      const took = Date.now() - start;
      assert.equal(e.code, 10035);
      assert.ok(took < 1000, `recv returned at once, not after a timeout (${took} ms)`);
    } finally {
      peer.close();
    }
  });

  test("a socket accepted from a blocking listener stays blocking", { skip: !linux }, () => {
    using p = tcpPair();
    assert.equal(openFlags(Number(p.server.handle)) & O_NONBLOCK, 0);
    assert.equal(openFlags(Number(p.peer.handle)) & O_NONBLOCK, 0);
  });

  test("FIONREAD on UDP is Linux's answer: the first datagram's size", { skip: !linux }, () => {
    // Windows answers the total queued (3 + 7 = 10); the library passes the platform's answer
    // through (documented on ioctl()).
    using rx = Socket.open("inet", "dgram");
    rx.bind("127.0.0.1", 0);
    using tx = Socket.open("inet", "dgram");
    const to = rx.localAddress().port;
    // Loopback delivery happens inside sendto: both are queued once it returns.
    tx.sendTo(new Uint8Array(3), "127.0.0.1", to);
    tx.sendTo(new Uint8Array(7), "127.0.0.1", to);
    const out = new Uint32Array(1);
    assert.equal(waitReadable(rx, 3), 3);
    assert.equal(ioctl(rx, FIONREAD, null, out), 4);
    assert.equal(out[0], 3);
    assert.equal(rx.recvFrom(new Uint8Array(16)).bytes, 3);
    assert.equal(waitReadable(rx, 7), 7);
    assert.equal(ioctl(rx, FIONREAD, null, out), 4);
    assert.equal(out[0], 7);
    assert.equal(rx.recvFrom(new Uint8Array(16)).bytes, 7);
    ioctl(rx, FIONREAD, null, out);
    assert.equal(out[0], 0);
  });

  test("SIOCATMARK, SO_OOBINLINE on before the urgent byte arrives: TRUE, it is inline data", () => {
    using p = tcpPair();
    p.peer.setOption("oobInline", true);
    const atMark = oobMark(p.peer);
    assert.equal(atMark(), 1, "nothing sent");
    sendUrgent(p);
    // Inline, the urgent byte counts as data: 4 bytes.
    assert.equal(waitReadable(p.peer, 4), 4);
    // Windows answers TRUE for an urgent byte that arrived while SO_OOBINLINE was on: it is
    // ordinary data, nothing waits out of band (Linux's POLLPRI alone would say FALSE).
    assert.equal(atMark(), 1, "urgent byte behind normal data");
    const into = new Uint8Array(8);
    // A read stops at the mark.
    assert.equal(p.peer.recv(into), 3);
    assert.equal(new TextDecoder().decode(into.subarray(0, 3)), "abc");
    assert.equal(atMark(), 1, "urgent byte next");
    assert.equal(p.peer.recv(into), 1);
    assert.equal(into[0], 0x21);
    assert.equal(atMark(), 1, "urgent byte read");
    p.client.send(new Uint8Array([1, 2]));
    waitReadable(p.peer, 2);
    assert.equal(atMark(), 1, "only normal data");
  });

  test("SIOCATMARK, SO_OOBINLINE on after the urgent byte arrived: FALSE until it is read", () => {
    using p = tcpPair();
    const atMark = oobMark(p.peer);
    sendUrgent(p);
    assert.equal(waitReadable(p.peer, 3), 3); // out of band: not counted
    for (const end = Date.now() + 2000; atMark() !== 0 && Date.now() < end;);
    assert.equal(atMark(), 0, "out of band, SO_OOBINLINE off");
    p.peer.setOption("oobInline", true);
    // Windows keeps that byte out of band: FALSE while it is unread.
    assert.equal(atMark(), 0, "arrived before SO_OOBINLINE");
    const into = new Uint8Array(8);
    assert.equal(p.peer.recv(into), 3);
    assert.equal(atMark(), 0, "still unread");
    assert.equal(p.peer.recv(into), 1); // Linux hands it over inline now
    assert.equal(into[0], 0x21);
    assert.equal(atMark(), 1, "read");
    // The next urgent byte arrives with SO_OOBINLINE on: inline data, TRUE.
    p.client.send(new Uint8Array([0x22]), { oob: true });
    assert.equal(waitReadable(p.peer, 1), 1);
    assert.equal(atMark(), 1, "arrived inline");
    assert.equal(p.peer.recv(into), 1);
    assert.equal(into[0], 0x22);
  });
});
