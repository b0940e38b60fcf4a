/*
 * The floor for P2: the turn-based piped exchange Parley's console server and client do, in C,
 * with nothing else: one TCP connection on loopback, one line per message, "bye" to end.
 *
 *   piped_floor server PORT   accepts one connection; then, in turn: a line from the peer is
 *                             written to stdout, a line from stdin is sent back (until the peer
 *                             says bye or closes)
 *   piped_floor client PORT   in turn: a line from stdin is sent (bye ends), the reply read and
 *                             written to stdout
 *
 * Each message costs what Parley's costs at the least: a read of stdin (buffered), a send, a read
 * of the socket (buffered), a write of one line to stdout. No threads.
 * Build: gcc -O2 -o piped_floor piped_floor.c
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LINE 65536

/* A socket read through a buffer, one line at a time. */
static char in_buf[MAX_LINE * 2];
static size_t in_start, in_end;

static ssize_t read_line(int fd, char *line, size_t max) {
    for (;;) {
        char *nl = memchr(in_buf + in_start, '\n', in_end - in_start);
        if (nl) {
            size_t n = (size_t)(nl - (in_buf + in_start)) + 1;
            if (n > max) return -1;
            memcpy(line, in_buf + in_start, n);
            in_start += n;
            return (ssize_t)n;
        }
        if (in_start > 0) {
            memmove(in_buf, in_buf + in_start, in_end - in_start);
            in_end -= in_start;
            in_start = 0;
        }
        if (in_end == sizeof in_buf) return -1;
        ssize_t r = read(fd, in_buf + in_end, sizeof in_buf - in_end);
        if (r <= 0) return 0;
        in_end += (size_t)r;
    }
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int is_bye(const char *line, size_t n) {
    return n == 4 && memcmp(line, "bye\n", 4) == 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s server|client PORT\n", argv[0]);
        return 2;
    }
    int server = strcmp(argv[1], "server") == 0;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(argv[2]));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1, fd;
    if (server) {
        int listener = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 16)) {
            perror("listen");
            return 1;
        }
        fd = accept(listener, NULL, NULL);
        close(listener);
    } else {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr)) {
            perror("connect");
            return 1;
        }
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static char line[MAX_LINE + 2];
    for (;;) {
        if (server) {
            ssize_t n = read_line(fd, line, sizeof line);
            if (n <= 0 || is_bye(line, (size_t)n)) break;
            if (write_all(1, line, (size_t)n)) break;
            if (!fgets(line, sizeof line, stdin)) break;
            if (write_all(fd, line, strlen(line))) break;
        } else {
            if (!fgets(line, sizeof line, stdin)) break;
            size_t len = strlen(line);
            if (write_all(fd, line, len) || is_bye(line, len)) break;
            ssize_t n = read_line(fd, line, sizeof line);
            if (n <= 0 || write_all(1, line, (size_t)n)) break;
        }
    }
    close(fd);
    return 0;
}
