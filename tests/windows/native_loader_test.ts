// Which FFI the native layer runs on under Wine: the shared suite, where the node.exe runs of
// scripts/test_windows.sh say which they expect (node:ffi, or koffi's Windows build).
import "../native_loader_test.ts";
