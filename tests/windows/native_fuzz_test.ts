// The ioctl() fuzz for real under Wine (20,000 calls per runtime unless WSIOCTL_FUZZ_ITERATIONS
// says otherwise): no crash, only the documented error classes, no write outside a buffer.
import "../fuzz_ioctl_test.ts";
