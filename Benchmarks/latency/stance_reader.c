// A Stance subscriber for the latency benchmark: one process per client, as real subscribers are.
//
// It connects to stanced's Unix socket, sends one request line, and stamps every line with
// CLOCK_MONOTONIC as soon as the read() that completed it returns. The stamps stay in memory and
// are written out once, at the end (SIGTERM or the daemon hanging up), so that the measurement
// does no file I/O and no formatting while samples flow.
//
//   stance_reader SOCKET REQUEST KEY OUT
//   stance_reader /dev/pts/N - '$' OUT      (the pseudo-terminal alone, without the daemon)
//
// KEY is the JSON member that carries the device's sample sequence, with its quotes and colon
// ("seq": in SAMPLE lines, "sample_seq": in METRICS lines). OUT receives (sequence, nanoseconds)
// pairs as native int64. Prints "ready" on stdout once the daemon has echoed the watch, and a
// summary line ("lines=… keyed=… lag=… errors=…") on exit.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested = 0;
static void on_signal(int signal_number) { (void)signal_number; stop_requested = 1; }

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static int64_t *records = NULL;  // sequence, time, sequence, time…
static size_t record_count = 0, record_capacity = 0;

static void record(int64_t sequence, int64_t time_ns) {
    if (record_count == record_capacity) {
        record_capacity = record_capacity ? record_capacity * 2 : 65536;
        records = realloc(records, record_capacity * 2 * sizeof(int64_t));
        if (!records) { perror("realloc"); exit(3); }
    }
    records[2 * record_count] = sequence;
    records[2 * record_count + 1] = time_ns;
    record_count++;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s SOCKET REQUEST KEY OUT\n", argv[0]);
        return 2;
    }
    const char *socket_path = argv[1], *request = argv[2], *key = argv[3], *out_path = argv[4];
    size_t key_length = strlen(key);

    // No SA_RESTART: SIGTERM must break the blocking read.
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    int descriptor;
    if (strncmp(socket_path, "/dev/", 5) == 0) {
        // The floor under every device path: how soon a reader of the secondary side sees a line.
        descriptor = open(socket_path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        if (descriptor < 0) {
            fprintf(stderr, "stance_reader: open %s: %s\n", socket_path, strerror(errno));
            return 1;
        }
        fputs("ready\n", stdout);
        fflush(stdout);
    } else {
        descriptor = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un address = {0};
        address.sun_family = AF_UNIX;
        strncpy(address.sun_path, socket_path, sizeof(address.sun_path) - 1);
        if (descriptor < 0 || connect(descriptor, (struct sockaddr *)&address, sizeof(address)) != 0) {
            fprintf(stderr, "stance_reader: connect %s: %s\n", socket_path, strerror(errno));
            return 1;
        }
        char line_out[1024];
        int request_length = snprintf(line_out, sizeof(line_out), "%s\n", request);
        if (write(descriptor, line_out, (size_t)request_length) != request_length) {
            fprintf(stderr, "stance_reader: write request: %s\n", strerror(errno));
            return 1;
        }
    }

    static char buffer[1 << 20];
    size_t filled = 0;
    long lines = 0, keyed = 0, lag = 0, errors = 0;
    int ready = 0;
    while (!stop_requested) {
        if (filled == sizeof(buffer)) { fprintf(stderr, "stance_reader: line over 1 MiB\n"); return 3; }
        ssize_t count = read(descriptor, buffer + filled, sizeof(buffer) - filled);
        int64_t now = monotonic_ns();
        if (count == 0) break;
        if (count < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "stance_reader: read: %s\n", strerror(errno));
            break;
        }
        filled += (size_t)count;
        char *start = buffer, *end = buffer + filled, *newline;
        while ((newline = memchr(start, '\n', (size_t)(end - start))) != NULL) {
            *newline = '\0';
            lines++;
            char *found = memmem(start, (size_t)(newline - start), key, key_length);
            if (found) {
                record(strtoll(found + key_length, NULL, 10), now);
                keyed++;
            } else if (strstr(start, "\"class\":\"WATCH\"")) {
                if (!ready) { fputs("ready\n", stdout); fflush(stdout); }
                ready = 1;
            } else if (strstr(start, "\"class\":\"LAG\"")) {
                lag++;
            } else if (strstr(start, "\"class\":\"ERROR\"")) {
                errors++;
                fprintf(stderr, "stance_reader: daemon says: %s\n", start);
                if (!ready) return 1;
            }
            start = newline + 1;
        }
        filled = (size_t)(end - start);
        memmove(buffer, start, filled);
    }

    FILE *out = fopen(out_path, "wb");
    if (!out || fwrite(records, 2 * sizeof(int64_t), record_count, out) != record_count || fclose(out) != 0) {
        fprintf(stderr, "stance_reader: write %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    printf("lines=%ld keyed=%ld lag=%ld errors=%ld\n", lines, keyed, lag, errors);
    return 0;
}
