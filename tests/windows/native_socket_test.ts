// Socket lifecycle, addresses and options for real under Wine's ws2_32 (deno.exe and bun.exe):
// the shared suite of tests/native_socket_test.ts, through the real library (socket.ts, ffi/).
import "../native_socket_test.ts";
