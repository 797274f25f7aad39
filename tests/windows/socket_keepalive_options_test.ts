// Socket's keepAliveTime, keepAliveInterval and keepAliveCount under Wine's ws2_32 (deno.exe and
// bun.exe): the shared suite, which reads them back with a getsockopt bound to ws2_32.dll at
// IPPROTO_TCP TCP_KEEPALIVE = TCP_KEEPIDLE (3), TCP_KEEPINTVL (17), TCP_KEEPCNT (16) of ws2ipdef.h.
import "../socket_keepalive_options_test.ts";
