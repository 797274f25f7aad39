// The error classes under the Windows runtimes (pure; no native call).
import "../native_errors_test.ts";
