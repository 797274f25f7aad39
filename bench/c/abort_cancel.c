/* C baseline for bench/abort_bench.ts: an overlapped SIO_ADDRESS_LIST_CHANGE left pending 2 ms,
 * then CancelIoEx on its OVERLAPPED and WaitForSingleObject on its event, N times; prints the
 * milliseconds from the cancel to the event (median, p95, max).
 * Build: x86_64-w64-mingw32-gcc -O2 -o /tmp/abort_cancel.exe bench/c/abort_cancel.c -lws2_32
 * Run in the Windows bed: wine /src/.build/abort_cancel.exe [cycles] */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 1;
  SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
  WSAEVENT event = WSACreateEvent();
  LARGE_INTEGER f, t0, t1;
  QueryPerformanceFrequency(&f);
  double *ms = malloc(sizeof(double) * n);
  for (int i = 0; i < n; i++) {
    WSAOVERLAPPED ov = {0};
    ov.hEvent = event;
    DWORD bytes = 0;
    WSAResetEvent(event);
    if (WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, &ov, NULL) == 0 ||
        WSAGetLastError() != WSA_IO_PENDING) {
      printf("not pending: %d\n", WSAGetLastError());
      return 1;
    }
    Sleep(2);
    QueryPerformanceCounter(&t0);
    CancelIoEx((HANDLE)s, &ov);
    if (WaitForSingleObject(event, 5000) != WAIT_OBJECT_0) return 1;
    QueryPerformanceCounter(&t1);
    ms[i] = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / f.QuadPart;
  }
  qsort(ms, n, sizeof(double), cmp);
  printf("C CancelIoEx + WaitForSingleObject   median %7.2f ms  p95 %7.2f ms  max %7.2f ms  (%d cycles)\n",
         ms[n / 2], ms[(int)(n * 0.95)], ms[n - 1], n);
  closesocket(s);
  WSACleanup();
  return 0;
}
