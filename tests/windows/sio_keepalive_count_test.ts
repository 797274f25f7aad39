// setKeepAlive's count under Wine's ws2_32 (deno.exe, bun.exe, node.exe): the shared suite, whose
// real-socket part reads SO_KEEPALIVE and IPPROTO_TCP TCP_KEEPALIVE (3), TCP_KEEPINTVL (17) and
// TCP_KEEPCNT (16) back with a getsockopt bound to ws2_32.dll (ws2ipdef.h's numbers). Wine 10
// keeps all three TCP options, hands the count to Linux (which refuses more than 127), and turns
// SO_KEEPALIVE on before refusing an idle time past Linux's 32,767 s.
import "../sio_keepalive_count_test.ts";
