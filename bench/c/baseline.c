/* The C baselines of the benchmark table (bench/run.ts): the native functions wsioctl's calls
 * reach on Linux, timed the way bench/_measure.ts times the runtimes — warm-up, rounds sized to
 * about roundMs each, the median round and the fastest, in ns per call — on sockets set up as
 * bench/worker.ts sets up its own:
 *   fionread  ioctl(FIONREAD) on the accepted end of a loopback TCP pair, 5 bytes waiting
 *   tcp_info  getsockopt(IPPROTO_TCP, TCP_INFO) on it, 248 bytes
 *   errqueue  recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT) on a bound UDP socket (empty queue: EAGAIN)
 * With `first`, it prints instead how long the process's first socket() and ioctl(FIONREAD)
 * took (bench/run.ts starts it afresh for each sample).
 *
 * Build: cc -O2 -o baseline bench/c/baseline.c
 * Run:   ./baseline <warmup rounds> <rounds> <roundMs> <warmMs>   or   ./baseline first
 * Prints one line: BENCH_JSON {...}. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fd, udp, avail;
static unsigned char info[248];
static unsigned char control[256];
static volatile long sink;

static long call_fionread(void) { return ioctl(fd, FIONREAD, &avail); }

static long call_tcp_info(void) {
  socklen_t len = sizeof info;
  return getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, &len);
}

static long call_errqueue(void) {
  struct msghdr msg = {0};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  return recvmsg(udp, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
}

typedef long (*call_t)(void);

static double round_ms(call_t f, long n) {
  long s = 0;
  double t0 = now_ms();
  for (long i = 0; i < n; i++) s ^= f();
  double t = now_ms() - t0;
  sink ^= s;
  return t;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void timed(const char *name, call_t f, int warmup, int rounds, double ms, double warm_ms,
                  int last) {
  double end = now_ms() + warm_ms;
  for (long n = 1; now_ms() < end; n = n < 65536 ? n * 2 : n) round_ms(f, n);
  long n = 1;
  for (;;) {
    double t = round_ms(f, n);
    if (t >= ms / 4 || n >= (1L << 24)) {
      n = (long)(n * ms / (t > 1e-3 ? t : 1e-3)) + 1;
      break;
    }
    n *= 2;
  }
  for (int r = 0; r < warmup; r++) round_ms(f, n);
  double *ns = malloc(sizeof(double) * rounds);
  for (int r = 0; r < rounds; r++) ns[r] = round_ms(f, n) * 1e6 / n;
  qsort(ns, rounds, sizeof(double), cmp);
  printf("\"%s\":{\"median\":%.3f,\"min\":%.3f,\"rounds\":%d,\"calls\":%ld}%s", name,
         ns[rounds / 2], ns[0], rounds, n, last ? "" : ",");
  free(ns);
}

static double elapsed_ns(struct timespec a, struct timespec b) {
  return (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "first") == 0) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int r = ioctl(s, FIONREAD, &avail);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("BENCH_JSON {\"ns\":%.0f}\n", elapsed_ns(t0, t1));
    return s < 0 || r != 0;
  }
  if (argc != 5) {
    fprintf(stderr, "usage: %s <warmup rounds> <rounds> <roundMs> <warmMs> | first\n", argv[0]);
    return 2;
  }
  int warmup = atoi(argv[1]), rounds = atoi(argv[2]);
  double ms = atof(argv[3]), warm_ms = atof(argv[4]);

  int server = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(server, (struct sockaddr *)&a, sizeof a) || listen(server, 1) ||
      getsockname(server, (struct sockaddr *)&a, &len))
    return 1;
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, (struct sockaddr *)&a, sizeof a) != 0) return 1;
  fd = accept(server, NULL, NULL);
  if (send(client, "hello", 5, 0) != 5) return 1;
  for (int i = 0; i < 2000 && (call_fionread() != 0 || avail != 5); i++) usleep(1000);
  udp = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in u = {0};
  u.sin_family = AF_INET;
  u.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(udp, (struct sockaddr *)&u, sizeof u)) return 1;
  /* The answers the timed calls must give. */
  if (call_fionread() != 0 || avail != 5 || call_tcp_info() != 0 || info[0] != TCP_ESTABLISHED ||
      call_errqueue() != -1 || errno != EAGAIN) {
    fprintf(stderr, "baseline: a native call did not answer as expected\n");
    return 1;
  }

  printf("BENCH_JSON {");
  timed("fionread", call_fionread, warmup, rounds, ms, warm_ms, 0);
  timed("tcp_info", call_tcp_info, warmup, rounds, ms, warm_ms, 0);
  timed("errqueue", call_errqueue, warmup, rounds, ms, warm_ms, 1);
  printf("}\n");
  close(udp);
  close(client);
  close(fd);
  close(server);
  return 0;
}
