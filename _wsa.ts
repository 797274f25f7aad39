/**
 * Internal: the Windows Sockets error numbers the library's own code branches on or reports,
 * named once (values from winerror.h; `tests/wsa_names_test.ts` checks each against
 * `WSA_ERRORS` (error_codes.ts)). Pure data: ffi/, sio/ and the root files all import from here.
 *
 * @module
 */

/** The event handle is invalid (`WSA_INVALID_HANDLE`, ERROR_INVALID_HANDLE). */
export const WSA_INVALID_HANDLE = 6;
/** An overlapped operation was cancelled (`WSA_OPERATION_ABORTED`, ERROR_OPERATION_ABORTED). */
export const WSA_OPERATION_ABORTED = 995;
/** An overlapped operation is under way (`WSA_IO_PENDING`, ERROR_IO_PENDING). */
export const WSA_IO_PENDING = 997;
/** A call interrupted (by a signal: EINTR). */
export const WSAEINTR = 10004;
/** A bad pointer, or a buffer too small for the answer. */
export const WSAEFAULT = 10014;
/** An invalid argument. */
export const WSAEINVAL = 10022;
/** The operation would block (non-blocking socket), or its answer is not ready yet. */
export const WSAEWOULDBLOCK = 10035;
/** The handle is not a socket. */
export const WSAENOTSOCK = 10038;
/** The option or level is unknown or unsupported. */
export const WSAENOPROTOOPT = 10042;
/** The operation is not supported on this socket. */
export const WSAEOPNOTSUPP = 10045;
/** The address family is not supported. */
export const WSAEAFNOSUPPORT = 10047;
/** No buffer space (or: the output is too small for the answer). */
export const WSAENOBUFS = 10055;
/** The socket is not connected. */
export const WSAENOTCONN = 10057;
/** The socket was shut down in that direction. */
export const WSAESHUTDOWN = 10058;
/** The connection timed out. */
export const WSAETIMEDOUT = 10060;
/** A system call failed that should never fail. */
export const WSASYSCALLFAILURE = 10107;
