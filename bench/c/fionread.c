/* C baseline for bench/fionread_bench.ts: ioctl(FIONREAD) on a connected loopback TCP socket
 * with 5 bytes pending, N times; prints nanoseconds per call.
 * Build and run: gcc -O2 -o /tmp/fionread bench/c/fionread.c && /tmp/fionread */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int server = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(server, (struct sockaddr *)&a, sizeof a);
  listen(server, 1);
  socklen_t len = sizeof a;
  getsockname(server, (struct sockaddr *)&a, &len);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, (struct sockaddr *)&a, sizeof a) != 0) return 1;
  int peer = accept(server, NULL, NULL);
  if (send(client, "hello", 5, 0) != 5) return 1;
  usleep(10000);
  const long n = 2000000;
  int avail = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; i++) ioctl(peer, FIONREAD, &avail);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
  printf("C ioctl(FIONREAD): %.1f ns/call (avail=%d, %ld calls)\n", ns, avail, n);
  close(client);
  close(peer);
  close(server);
  return avail == 5 ? 0 : 1;
}
