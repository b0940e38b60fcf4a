/*
 * The floor for round-trip time: the least a server can do, in C. A thread per connection reads
 * whatever bytes arrive and writes them straight back: no framing, no protocol, no checks, no
 * allocation. Parley's echo is measured against it (benchmarks/perf/targets.sh, P1).
 *
 * Build: cc -O2 -pthread -o echo_floor echo_floor.c      Run: ./echo_floor PORT
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void *echo(void *arg) {
    int fd = (int) (long) arg;
    char buffer[8192];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(fd, buffer + off, (size_t) (n - off));
            if (w <= 0) {
                close(fd);
                return NULL;
            }
            off += w;
        }
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_floor PORT\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons((unsigned short) atoi(argv[1]));
    if (bind(listener, (struct sockaddr *) &address, sizeof address) != 0 || listen(listener, 1024) != 0) {
        perror("echo_floor");
        return 1;
    }
    fprintf(stderr, "listening on 127.0.0.1:%s\n", argv[1]);
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_t thread;
        if (pthread_create(&thread, NULL, echo, (void *) (long) fd) != 0) {
            close(fd);
            continue;
        }
        pthread_detach(thread);
    }
}
