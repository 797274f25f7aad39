// The three Unix-compatible typed calls under Wine's ws2_32 (deno.exe and bun.exe): the shared
// suite of tests/sio_basic_test.ts, against a real Winsock.
import "../sio_basic_test.ts";
