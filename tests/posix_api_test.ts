// The POSIX native layer on a recording fake libc (tests/_helpers/fake_loader.ts): which native calls it
// makes, with which arguments, on Linux, macOS and FreeBSD and on CPUs this machine is not. Pure:
// runs anywhere, under Deno, Bun and Node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  FIONBIO,
  FIONREAD,
  SIO_KEEPALIVE_VALS,
  SIO_TCP_SET_ICW,
  SIO_UDP_CONNRESET,
  SIOCATMARK,
} from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import { posixIoctlNumbers } from "../ffi/libc.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LINUX_NUMBERS = { fionread: 0x541bn, fionbio: 0x5421n, siocatmark: 0x8905n };
const BSD_NUMBERS = { fionread: 0x4004667fn, fionbio: 0x8004667en, siocatmark: 0x40047307n };

function unsupported(fn: () => unknown): UnsupportedError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UnsupportedError, `expected UnsupportedError, got ${e}`);
    return e;
  }
  assert.fail("expected UnsupportedError, nothing thrown");
}

describe("posixIoctlNumbers: only verified request numbers", () => {
  test("Linux: the asm-generic numbers on the CPUs that use them", () => {
    for (const arch of ["x86_64", "aarch64", "riscv64", "loongarch64", "loong64", "s390x"]) {
      assert.deepEqual({ ...posixIoctlNumbers("linux", arch) }, LINUX_NUMBERS, arch);
    }
  });

  test("Linux: CPUs with their own numbers, 32-bit CPUs and unknown names are refused", () => {
    for (
      const arch of [
        "ppc64",
        "ppc64le",
        "mips64",
        "mips64el",
        "mipsel",
        "sparc64",
        "alpha",
        "arm",
        "ia32",
        "x64", // Node's spelling, before normalizeArch
        "",
      ]
    ) {
      assert.equal(posixIoctlNumbers("linux", arch), undefined, arch);
    }
  });

  test("macOS and FreeBSD: the BSD numbers, which are Winsock's", () => {
    for (const os of ["darwin", "freebsd"]) {
      for (const arch of ["x86_64", "aarch64"]) {
        const n = posixIoctlNumbers(os, arch);
        assert.deepEqual({ ...n }, BSD_NUMBERS, `${os}/${arch}`);
        assert.equal(n?.fionread, BigInt(FIONREAD));
        assert.equal(n?.fionbio, BigInt(FIONBIO));
        assert.equal(n?.siocatmark, BigInt(SIOCATMARK));
      }
    }
    assert.equal(posixIoctlNumbers("darwin", "ppc"), undefined);
    assert.equal(posixIoctlNumbers("openbsd", "x86_64"), undefined);
    assert.equal(posixIoctlNumbers("windows", "x86_64"), undefined);
  });

  test("an unverified CPU: the three codes throw UnsupportedError naming it, no native call", () => {
    const fake = fakeLoader("linux", "mips64");
    const native = createPosixApi(fake.loader);
    const out = new Uint8Array(4);
    for (const code of [FIONREAD, FIONBIO, SIOCATMARK]) {
      const e = unsupported(() => native.wsaIoctl(3n, code, out, 4, out, 4));
      assert.equal(e.code, code);
      assert.equal(e.platform, "linux on mips64");
      assert.match(e.message, /is unsupported on linux on mips64$/);
    }
    // Other codes keep the plain platform (and the codes translated without an ioctl run).
    assert.equal(
      unsupported(() => native.wsaIoctl(3n, SIO_TCP_SET_ICW, out, 4, null, 0)).platform,
      "linux",
    );
    assert.equal(native.wsaIoctl(3n, SIO_UDP_CONNRESET, new Uint8Array(4), 4, null, 0), 0);
    assert.deepEqual(fake.names(), ["getsockopt"]); // the socket check, no ioctl
    fake.calls.length = 0;
    assert.deepEqual(fake.names(), []);
  });

  test("any other code: UnsupportedError labelled as codes/ spells it (name, else upper-case hex)", () => {
    const fake = fakeLoader("linux", "x86_64");
    const native = createPosixApi(fake.loader);
    const out = new Uint8Array(8);
    const named = unsupported(() => native.wsaIoctl(3n, SIO_TCP_SET_ICW, out, 4, out, 8));
    assert.equal(named.ioctl, "SIO_TCP_SET_ICW");
    assert.equal(named.code, SIO_TCP_SET_ICW);
    const unknown = unsupported(() => native.wsaIoctl(3n, 0xdeadbeef, null, 0, out, 8));
    assert.equal(unknown.ioctl, "0xDEADBEEF");
    assert.equal(unknown.code, 0xdeadbeef);
    assert.equal(unknown.platform, "linux");
    assert.equal(unknown.message, "0xDEADBEEF is unsupported on linux"); // the hex said once
    assert.deepEqual(fake.names(), []);
  });
});

describe("POSIX native layer: handles", () => {
  test("a handle outside 0..2^31-1 fails with WSAENOTSOCK before any native call", () => {
    const fake = fakeLoader("linux", "x86_64");
    const native = createPosixApi(fake.loader);
    assert.equal(native.maxHandle, 0x7fffffffn);
    const addr = new Uint8Array(28);
    const sin = new Uint8Array([2, 0, 0, 80, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const len = new Int32Array(1);
    const buf = new Uint8Array(4);
    const ka = new Uint8Array([1, 0, 0, 0, 0x88, 0x13, 0, 0, 0xe8, 3, 0, 0]);
    const value = new Float64Array(1);
    for (const bad of [2n ** 32n + 3n, 2n ** 31n, -1n, 2n ** 64n - 1n]) {
      const calls: [string, () => number | bigint][] = [
        ["close", () => native.close(bad)],
        ["bind", () => native.bind(bad, sin)],
        ["connect", () => native.connect(bad, sin)],
        ["listen", () => native.listen(bad, 1)],
        ["accept", () => native.accept(bad, addr, len)],
        ["send", () => native.send(bad, buf, 4, 0)],
        ["recv", () => native.recv(bad, buf, 4, 0)],
        ["sendTo", () => native.sendTo(bad, buf, 4, 0, sin)],
        ["recvFrom", () => native.recvFrom(bad, buf, 4, 0, addr, len)],
        ["localName", () => native.localName(bad, addr, len)],
        ["peerName", () => native.peerName(bad, addr, len)],
        ["setOption", () => native.setOption(bad, "keepAlive", 1)],
        ["getOption", () => native.getOption(bad, "type", value)],
        ["FIONREAD", () => native.wsaIoctl(bad, FIONREAD, null, 0, buf, 4)],
        ["FIONBIO", () => native.wsaIoctl(bad, FIONBIO, buf, 4, null, 0)],
        ["SIOCATMARK", () => native.wsaIoctl(bad, SIOCATMARK, null, 0, buf, 4)],
        ["SIO_KEEPALIVE_VALS", () => native.wsaIoctl(bad, SIO_KEEPALIVE_VALS, ka, 12, null, 0)],
        ["SIO_UDP_CONNRESET", () => native.wsaIoctl(bad, SIO_UDP_CONNRESET, buf, 4, null, 0)],
      ];
      for (const [name, call] of calls) {
        assert.equal(Number(call()), -1, `${name}(${bad}n)`);
        assert.equal(native.lastError(), 10038, `${name}(${bad}n)`);
      }
    }
    assert.deepEqual(fake.names(), []);
  });

  test("FIONREAD and FIONBIO ask getsockopt(SO_TYPE) before the ioctl, except on its own sockets", () => {
    const answers: Record<string, Answer> = { socket: 7 };
    const fake = fakeLoader("linux", "x86_64", answers);
    const native = createPosixApi(fake.loader);
    const out = new Uint8Array(4);
    // A descriptor the port did not open: asked first; not a socket → no ioctl at all.
    answers.getsockopt = -1;
    fake.errno.value = 88; // ENOTSOCK
    assert.equal(native.wsaIoctl(9n, FIONREAD, null, 0, out, 4), -1);
    assert.equal(native.lastError(), 10038);
    assert.equal(native.wsaIoctl(9n, FIONBIO, new Uint8Array([1, 0, 0, 0]), 4, null, 0), -1);
    assert.equal(native.lastError(), 10038);
    fake.errno.value = 9; // EBADF
    assert.equal(native.wsaIoctl(9n, FIONREAD, null, 0, out, 4), -1);
    assert.equal(native.lastError(), 10038);
    assert.deepEqual(fake.names(), ["getsockopt", "getsockopt", "getsockopt"]);
    assert.deepEqual(fake.calls[0].args.slice(0, 3), [9, 1, 3]); // fd, SOL_SOCKET, SO_TYPE
    // A socket: asked, then the ioctl.
    answers.getsockopt = 0;
    fake.calls.length = 0;
    assert.equal(native.wsaIoctl(9n, FIONREAD, null, 0, out, 4), 4);
    assert.deepEqual(fake.names(), ["getsockopt", "ioctl"]);
    assert.deepEqual(fake.calls[1].args.slice(0, 2), [9, 0x541bn]);
    // Its own socket: the ioctl alone (the FIONREAD polling path), until it is closed.
    assert.equal(native.socket(2, 1, 0), 7n);
    fake.calls.length = 0;
    assert.equal(native.wsaIoctl(7n, FIONREAD, null, 0, out, 4), 4);
    assert.equal(native.wsaIoctl(7n, FIONBIO, new Uint8Array([1, 0, 0, 0]), 4, null, 0), 0);
    assert.deepEqual(fake.names(), ["ioctl", "ioctl"]);
    assert.equal(native.close(7n), 0);
    fake.calls.length = 0;
    assert.equal(native.wsaIoctl(7n, FIONREAD, null, 0, out, 4), 4);
    assert.deepEqual(fake.names(), ["getsockopt", "ioctl"]);
  });

  test("FIONREAD polling: the count lands in the caller's 4 bytes; a closed socket is asked again", () => {
    let count = 0x01020304;
    const answers: Record<string, Answer> = {
      socket: 7,
      ioctl: (_fd, _request, arg) => {
        // As the kernel writes an int: in this machine's byte order.
        const v = arg as ArrayBufferView;
        new DataView(v.buffer, v.byteOffset).setInt32(0, count, HOST_LITTLE_ENDIAN);
        return 0;
      },
    };
    const fake = fakeLoader("linux", "x86_64", answers);
    const native = createPosixApi(fake.loader);
    assert.equal(native.socket(2, 1, 0), 7n);
    const whole = new Uint8Array([9, 9, 9, 9, 9, 9, 9]);
    const out = whole.subarray(1, 6); // at an odd offset, one byte more than needed
    fake.calls.length = 0;
    for (let i = 0; i < 3; i++) assert.equal(native.wsaIoctl(7n, FIONREAD, null, 0, out, 5), 4);
    assert.deepEqual([...whole], [9, 4, 3, 2, 1, 9, 9]); // u_long, little-endian, nothing more
    assert.deepEqual(fake.names(), ["ioctl", "ioctl", "ioctl"]);
    // A short output is refused before the ioctl, even on the polling path.
    assert.equal(native.wsaIoctl(7n, FIONREAD, null, 0, out, 3), -1);
    assert.equal(native.lastError(), 10014); // WSAEFAULT
    assert.equal(native.wsaIoctl(7n, FIONREAD, null, 0, null, 0), -1);
    assert.equal(native.lastError(), 10014);
    assert.equal(fake.calls.length, 3);
    // Closed: the descriptor may now be anything, so the socket check comes back.
    assert.equal(native.close(7n), 0);
    answers.getsockopt = -1;
    fake.errno.value = 88; // ENOTSOCK
    fake.calls.length = 0;
    count = 5;
    assert.equal(native.wsaIoctl(7n, FIONREAD, null, 0, out, 4), -1);
    assert.equal(native.lastError(), 10038);
    assert.deepEqual(fake.names(), ["getsockopt"]);
    assert.deepEqual([...whole], [9, 4, 3, 2, 1, 9, 9]);
  });
});

describe("POSIX native layer: close-on-exec and nonblocking mode of new sockets", () => {
  test("Linux: socket(SOCK_CLOEXEC); accept4 with SOCK_NONBLOCK as the listener has it", () => {
    let flags = 0x2; // O_RDWR
    const fake = fakeLoader("linux", "x86_64", {
      socket: 5,
      accept4: 6,
      fcntl: () => flags,
    });
    const native = createPosixApi(fake.loader);
    assert.equal(native.socket(2, 1, 0), 5n);
    assert.deepEqual(fake.calls, [{ name: "socket", args: [2, 1 | 0x80000, 0] }]);
    const addr = new Uint8Array(28);
    const len = new Int32Array(1);
    fake.calls.length = 0;
    assert.equal(native.accept(5n, addr, len), 6n);
    assert.deepEqual(fake.names(), ["fcntl", "accept4"]);
    assert.deepEqual(fake.calls[0].args, [5, 3]); // F_GETFL
    assert.equal(fake.calls[1].args[3], 0x80000); // SOCK_CLOEXEC
    flags = 0x802; // O_RDWR | O_NONBLOCK
    fake.calls.length = 0;
    assert.equal(native.accept(5n, addr, len), 6n);
    assert.equal(fake.calls[1].args[3], 0x80000 | 0x800); // SOCK_CLOEXEC | SOCK_NONBLOCK
  });

  test("FreeBSD: the same with FreeBSD's flag values", () => {
    const fake = fakeLoader("freebsd", "x86_64", { socket: 5, accept4: 6, fcntl: 0x4 });
    const native = createPosixApi(fake.loader);
    native.socket(2, 2, 0);
    assert.deepEqual(fake.calls[0].args, [2, 2 | 0x10000000, 0]);
    fake.calls.length = 0;
    native.accept(5n, new Uint8Array(28), new Int32Array(1));
    assert.deepEqual(fake.names().slice(0, 2), ["fcntl", "accept4"]);
    assert.equal(fake.calls[1].args[3], 0x10000000 | 0x20000000);
    assert.ok(!fake.names().includes("ioctl"), "no FIOCLEX: accept4 set close-on-exec");
  });

  test("macOS: FIOCLEX right after socket() and accept(), which inherits O_NONBLOCK itself", () => {
    for (const arch of ["x86_64", "aarch64"]) {
      const fake = fakeLoader("darwin", arch, { socket: 5, accept: 6 });
      const native = createPosixApi(fake.loader);
      assert.equal(native.socket(2, 1, 0), 5n);
      assert.deepEqual(fake.names(), ["socket", "ioctl", "setsockopt"]);
      assert.deepEqual(fake.calls[0].args, [2, 1, 0]); // no SOCK_CLOEXEC on macOS
      assert.deepEqual(fake.calls[1].args.slice(0, 2), [5, 0x20006601n]); // FIOCLEX
      if (arch === "aarch64") assert.equal(fake.calls[1].args.length, 9, "variadic padding");
      fake.calls.length = 0;
      assert.equal(native.accept(5n, new Uint8Array(28), new Int32Array(1)), 6n);
      assert.deepEqual(fake.names(), ["accept", "ioctl", "setsockopt"]);
      assert.deepEqual(fake.calls[1].args.slice(0, 2), [6, 0x20006601n]);
    }
  });

  test("macOS: a socket whose FIOCLEX fails is closed, not handed out", () => {
    const fake = fakeLoader("darwin", "x86_64", { socket: 5, ioctl: -1 });
    const native = createPosixApi(fake.loader);
    fake.errno.value = 9; // EBADF
    assert.equal(native.socket(2, 1, 0), -1n);
    assert.equal(native.lastError(), 10038);
    assert.deepEqual(fake.names(), ["socket", "ioctl", "close"]);
    assert.deepEqual(fake.calls[2].args, [5]);
  });
});

describe("POSIX native layer: SIOCATMARK", () => {
  test("SO_OOBINLINE: poll(POLLPRI) decides; without it, a peek for the OOB byte", () => {
    let inline = 1;
    let revents = 0;
    const fake = fakeLoader("linux", "x86_64", {
      getsockopt: (_fd, _level, _name, val) => {
        new DataView((val as Uint8Array).buffer).setInt32(0, inline, true);
        return 0;
      },
      poll: (fds) => {
        new Int16Array((fds as Uint8Array).buffer, 4, 2)[1] = revents;
        return revents === 0 ? 0 : 1;
      },
      recv: -1,
    });
    const native = createPosixApi(fake.loader);
    const out = new Uint32Array(1);
    const bytes = new Uint8Array(out.buffer);
    const atMark = () => {
      assert.equal(native.wsaIoctl(4n, SIOCATMARK, null, 0, bytes, 4), 4);
      return out[0];
    };
    assert.equal(atMark(), 1);
    assert.deepEqual(fake.names(), ["getsockopt", "ioctl", "poll"]);
    assert.deepEqual(fake.calls[0].args.slice(0, 3), [4, 1, 10]); // SOL_SOCKET, SO_OOBINLINE
    assert.deepEqual(fake.calls[1].args.slice(0, 2), [4, 0x8905n]);
    const pollfd = fake.calls[2].args[0] as Uint8Array;
    assert.equal(new Int32Array(pollfd.buffer, 0, 1)[0], 4);
    assert.equal(new Int16Array(pollfd.buffer, 4, 1)[0], 0x2); // POLLPRI
    assert.deepEqual(fake.calls[2].args.slice(1), [1n, 0]); // one fd, no wait
    // An urgent byte waiting with SO_OOBINLINE on, never noted as one from before the option:
    // it arrived inline, ordinary data (TRUE), as Windows answers.
    revents = 0x2;
    assert.equal(atMark(), 1);
    inline = 0;
    fake.calls.length = 0;
    fake.errno.value = 22; // EINVAL: no OOB byte
    assert.equal(atMark(), 1);
    assert.deepEqual(fake.names(), ["getsockopt", "ioctl", "recv"]);
    assert.equal(fake.calls[2].args[3], 1 | 2 | 0x40); // MSG_OOB | MSG_PEEK | MSG_DONTWAIT
    fake.errno.value = 11; // EAGAIN: announced, not arrived
    assert.equal(atMark(), 0);
  });

  test("SO_OOBINLINE turned on while an urgent byte waits: FALSE until it is read", () => {
    let inline = 0;
    let revents = 0;
    let oob = -1; // recv(MSG_OOB | MSG_PEEK): 1 while a byte waits out of band
    let peer = [2, 0, 0x1f, 0x90, 127, 0, 0, 1]; // the connection's peer (getpeername)
    const name = (bytes: number[]) => (_fd: unknown, addr: unknown, len: unknown) => {
      (addr as Uint8Array).set(bytes);
      (len as Uint32Array)[0] = bytes.length;
      return 0;
    };
    const fake = fakeLoader("linux", "x86_64", {
      getsockopt: (_fd, _level, _name, val) => {
        new DataView((val as Uint8Array).buffer).setInt32(0, inline, true);
        return 0;
      },
      setsockopt: (_fd, _level, opt, val) => {
        if (opt === 10) inline = new DataView((val as Uint8Array).buffer).getInt32(0, true);
        return 0;
      },
      poll: (fds) => {
        new Int16Array((fds as Uint8Array).buffer, 4, 2)[1] = revents;
        return revents === 0 ? 0 : 1;
      },
      recv: () => oob,
      getsockname: name([2, 0, 0x30, 0x39, 127, 0, 0, 1]),
      getpeername: (fd, addr, len) => name(peer)(fd, addr, len),
    });
    const native = createPosixApi(fake.loader);
    const out = new Uint32Array(1);
    const atMark = () => {
      assert.equal(native.wsaIoctl(4n, SIOCATMARK, null, 0, new Uint8Array(out.buffer), 4), 4);
      return out[0];
    };
    // The byte arrives out of band; the option is turned on: the switch peeks and notes it.
    oob = 1;
    revents = 0x2;
    assert.equal(atMark(), 0);
    fake.calls.length = 0;
    assert.equal(native.setOption(4n, "oobInline", 1), 0);
    assert.deepEqual(fake.names(), [
      "getsockopt", // SO_OOBINLINE, still off
      "recv", // the out-of-band peek
      "getsockname",
      "getpeername",
      "setsockopt",
    ]);
    assert.equal(fake.calls[1].args[3], 1 | 2 | 0x40); // MSG_OOB | MSG_PEEK | MSG_DONTWAIT
    oob = -1; // inline now: recv(MSG_OOB) is EINVAL whatever waits
    assert.equal(atMark(), 0, "noted: still out of band");
    assert.equal(atMark(), 0, "and again");
    // Read (POLLPRI gone): the note goes, and a byte arriving now is inline.
    revents = 0;
    assert.equal(atMark(), 1);
    revents = 0x2;
    assert.equal(atMark(), 1, "arrived inline");
    // Noted again, then the descriptor names another connection: the note is not used.
    inline = 0;
    oob = 1;
    native.setOption(4n, "oobInline", 1);
    assert.equal(atMark(), 0);
    peer = [2, 0, 0x1f, 0x91, 127, 0, 0, 1];
    assert.equal(atMark(), 1, "another peer: not the byte noted");
    peer = [2, 0, 0x1f, 0x90, 127, 0, 0, 1];
    assert.equal(atMark(), 1, "the note was dropped");
    // Turned on again while already on: nothing is peeked or noted.
    fake.calls.length = 0;
    native.setOption(4n, "oobInline", 1);
    assert.deepEqual(fake.names(), ["getsockopt", "setsockopt"]);
    assert.equal(atMark(), 1);
    // Off drops a note; on again with nothing waiting notes nothing.
    inline = 0;
    native.setOption(4n, "oobInline", 1);
    assert.equal(atMark(), 0);
    native.setOption(4n, "oobInline", 0);
    inline = 1; // turned on by other means: no note, so the byte counts as inline
    assert.equal(atMark(), 1, "off dropped the note");
    inline = 0;
    oob = -1;
    fake.errno.value = 22;
    native.setOption(4n, "oobInline", 1);
    assert.equal(atMark(), 1);
  });
});
