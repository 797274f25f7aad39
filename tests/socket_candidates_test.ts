// NativeApi.socketCandidates, the handles handleOf's search asks: on this machine (every open
// descriptor, from /proc/self/fd on Linux), and over recording fakes of libc, ntdll and kernel32 —
// the poll() probe of macOS and the BSDs (and of a Linux without getdents64), the parsing of
// /proc/self/fd's entries, and the Windows walk with its filters (files opened for reading and
// writing, no standard handle) and its end.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { Socket } from "../mod.ts";
import { nativeApi } from "../ffi/select.ts";
import { listProcFds, MAX_PROBED_FDS, openDescriptors } from "../ffi/_posix_fds.ts";
import { SLACK, socketCandidates } from "../ffi/_windows_handles.ts";
import { LIBC, LIBC_LINUX_FDS } from "../ffi/libc.ts";
import type { Bound, Loader } from "../ffi/_types.ts";
import { fakeLoader } from "./_helpers/fake_loader.ts";

const onLinux = nativeApi().os === "linux";

/** A fake libc whose poll() says which descriptors are open (POLLNVAL for the others). */
function pollingLibc(open: ReadonlySet<number>, os = "darwin", tableSize = 3000) {
  const polls: number[] = [];
  const fake = fakeLoader(os, "x86_64", {
    getdtablesize: tableSize,
    poll: (fds: unknown, nfds: unknown) => {
      const b = fds as Uint8Array;
      const ints = new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
      const shorts = new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2);
      polls.push(Number(nfds));
      for (let i = 0; i < Number(nfds); i++) {
        assert.equal(shorts[i * 4 + 2], 0, "no events asked");
        shorts[i * 4 + 3] = open.has(ints[i * 2]) ? 0 : 0x20;
      }
      return Number(nfds);
    },
  });
  const libc = fake.loader.open([], LIBC);
  return { fake, libc, polls };
}

describe("socketCandidates on this machine", () => {
  test("every open descriptor (Linux: /proc/self/fd), ascending, the sockets among them", {
    skip: !onLinux && "Linux only",
  }, () => {
    const sockets = Array.from({ length: 40 }, () => Socket.open("inet", "dgram"));
    try {
      const found = nativeApi().socketCandidates();
      const listed = new Set(readdirSync("/proc/self/fd").map(BigInt));
      for (const s of sockets) assert.ok(found.includes(s.handle), `${s.handle} missing`);
      for (const h of found) assert.ok(listed.has(h), `${h} is not an open descriptor`);
      assert.deepEqual(found, [...found].sort((a, b) => (a < b ? -1 : 1)));
      assert.equal(new Set(found).size, found.length);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});

describe("the poll() probe (macOS, the BSDs, Linux without getdents64)", () => {
  test("the open descriptors below getdtablesize(), 1024 per poll()", () => {
    const open = new Set([0, 1, 2, 7, 1023, 1024, 2999, 3000]);
    const { fake, libc, polls } = pollingLibc(open);
    const list = openDescriptors(fake.loader, [], libc);
    assert.deepEqual(list(), [0n, 1n, 2n, 7n, 1023n, 1024n, 2999n]); // 3000 is past the table
    assert.deepEqual(polls, [1024, 1024, 952]);
    assert.ok(!fake.names().includes("getdents64"), "listing is Linux's");
  });

  test(`bounded by ${MAX_PROBED_FDS} descriptors, whatever the table's size`, () => {
    const { fake, libc, polls } = pollingLibc(new Set([5, 65535, 65536]), "freebsd", 1 << 20);
    assert.deepEqual(openDescriptors(fake.loader, [], libc)(), [5n, 65535n]);
    assert.equal(polls.length, MAX_PROBED_FDS / 1024);
  });

  test("Linux falls back to it when libc has no getdents64", () => {
    const { fake, libc } = pollingLibc(new Set([3, 4]), "linux", 100);
    const loader: Loader = {
      ...fake.loader,
      open(names, table) {
        if ("getdents64" in table) throw new Error("undefined symbol: getdents64");
        return fake.loader.open(names, table);
      },
    };
    assert.deepEqual(openDescriptors(loader, [], libc)(), [3n, 4n]);
  });
});

describe("listing /proc/self/fd", () => {
  /** linux_dirent64 records: d_ino, d_off, d_reclen, d_type, d_name (NUL-terminated). */
  function dirents(names: string[]): Uint8Array {
    const records = names.map((n) => {
      const reclen = (19 + n.length + 1 + 7) & ~7;
      const r = new Uint8Array(reclen);
      new DataView(r.buffer).setUint16(16, reclen, true);
      r.set(new TextEncoder().encode(n), 19);
      return r;
    });
    const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    records.reduce((at, r) => (out.set(r, at), at + r.length), 0);
    return out;
  }

  test("the numeric entries, without the directory's own descriptor, ascending", () => {
    const batches = [dirents([".", "..", "12", "0", "5"]), dirents(["3", "101", "x1"])];
    const fake = fakeLoader("linux", "x86_64", {
      opendir: 0x5000n,
      dirfd: 5,
      getdents64: (_fd: unknown, buf: unknown) => {
        const next = batches.shift();
        if (next === undefined) return 0n;
        (buf as Uint8Array).set(next);
        return BigInt(next.length);
      },
    });
    const dir = fake.loader.open([], LIBC_LINUX_FDS) as Bound<typeof LIBC_LINUX_FDS>;
    assert.deepEqual(listProcFds(dir), [0n, 3n, 12n, 101n]);
    assert.deepEqual(fake.names(), [
      "opendir",
      "dirfd",
      ...Array(3).fill("getdents64"),
      "closedir",
    ]);
  });

  test("no /proc: undefined (the probe takes over)", () => {
    const fake = fakeLoader("linux", "x86_64", { opendir: 0n });
    assert.equal(listProcFds(fake.loader.open([], LIBC_LINUX_FDS)), undefined);
  });
});

describe("the Windows walk", () => {
  /** A fake ntdll/kernel32: objects by handle value, the standard handles, the handle count. */
  function windows(objects: Record<number, [string, number]>, std: number[], count: number) {
    const queried: number[] = [];
    const fake = fakeLoader("windows", "x86_64", {
      GetStdHandle: (n: unknown) => BigInt(std[0xfffffff6 - Number(n)] ?? 0),
      GetProcessHandleCount: (_p: unknown, out: unknown) => {
        (out as Uint32Array)[0] = count;
        return count < 0 ? 0 : 1;
      },
      NtQueryObject: (h: unknown, cls: unknown, buf: unknown) => {
        const v = Number(h);
        queried.push(v);
        const object = objects[v];
        if (object === undefined) return 0xc0000008; // STATUS_INVALID_HANDLE
        const view = new DataView((buf as Uint8Array).buffer);
        if (cls === 2) {
          // UNICODE_STRING at 0, the name written at 0x68 (Buffer: the buffer's address + 0x68).
          view.setUint16(0, object[0].length * 2, true);
          view.setBigUint64(8, fake.loader.address(buf as Uint8Array) + 0x68n, true);
          for (let i = 0; i < object[0].length; i++) {
            view.setUint16(0x68 + i * 2, object[0].charCodeAt(i), true);
          }
        } else {
          view.setUint32(4, object[1], true); // GrantedAccess
        }
        return 0;
      },
    });
    return { list: socketCandidates(fake.loader), queried };
  }

  test("files opened for reading and writing, no standard handle, nothing else", () => {
    const { list } = windows(
      {
        4: ["File", 0x12019f], // a socket (or any read-write file)
        8: ["Event", 0x1f0003],
        12: ["File", 0x120089], // read only
        16: ["File", 0x120116], // write only
        20: ["File", 0x12019f], // stdin
        24: ["Thread", 0x1fffff],
        28: ["File", 0x1a019f],
        32: ["Filez", 0x12019f],
      },
      [20],
      8,
    );
    assert.deepEqual(list(), [4n, 28n]);
  });

  test("the walk ends SLACK values past the last live handle once the count is reached", () => {
    const { list, queried } = windows({ 4: ["File", 3], 4000: ["File", 3] }, [], 2);
    assert.deepEqual(list(), [4n, 4000n]);
    assert.equal(queried.filter((v) => v > 4000).length, SLACK / 4);
    // Wine answers a count of 0: the slack alone ends the walk (a handle past it is not seen).
    const wine = windows({ 4: ["File", 3], [4 + SLACK + 4]: ["File", 3] }, [], 0);
    assert.deepEqual(wine.list(), [4n]);
    // A count not reached yet: the walk goes on past the slack.
    const more = windows({ 4: ["File", 3], [4 + SLACK * 3]: ["File", 3] }, [], 2);
    assert.deepEqual(more.list(), [4n, BigInt(4 + SLACK * 3)]);
  });
});
