// `wsioctl probe` for real under Wine: every code of the table reaches Winsock; the portable
// codes must work, the others print their real result or error.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { IOCTLS } from "../../codes/mod.ts";
import { runProbe } from "../../_probe.ts";

describe("wsioctl probe under Windows", () => {
  test("runs every code and prints one row per code", async () => {
    const lines: string[] = [];
    const status = await runProbe((line) => lines.push(line));
    console.log(lines.join("\n"));
    assert.equal(status, 0);
    for (const info of IOCTLS) {
      const row = lines.find((l) => l.startsWith(info.name + " "));
      assert.ok(row !== undefined, info.name);
      assert.doesNotMatch(row, /unsupported on/, info.name);
    }
    // Wine fails these two at once (a final status in the OVERLAPPED, no signal): the probe
    // reports the real error, not "pending" (issue 7, item 8). SIO_ADDRESS_LIST_CHANGE really
    // waits.
    const row = (name: string) => lines.find((l) => l.startsWith(name + " ")) ?? "";
    assert.match(row("SIO_ROUTING_INTERFACE_CHANGE"), /WSAEOPNOTSUPP \(10045\)/);
    assert.match(row("SIO_IDEAL_SEND_BACKLOG_CHANGE"), /WSAEOPNOTSUPP \(10045\)/);
    assert.match(
      row("SIO_ADDRESS_LIST_CHANGE"),
      /pending \(WSA_IO_PENDING: armed, then cancelled\)/,
    );
  });
});
