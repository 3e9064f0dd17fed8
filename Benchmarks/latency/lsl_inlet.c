// A Lab Streaming Layer inlet for the latency benchmark, built the same way as stance_reader.c so
// that both sides are measured with the same kind of client: a C process that stamps each sample
// with CLOCK_MONOTONIC as soon as the pull returns and keeps the stamps in memory until the end.
//
//   lsl_inlet SOURCE_ID OUT
//
// Resolves the stream whose source_id is SOURCE_ID, opens it, prints "ready", then pulls one
// sample at a time. Channel 0 carries the outlet's sample counter. OUT receives (counter,
// nanoseconds) pairs as native int64. Stops on SIGTERM. liblsl is the one pylsl ships; its C
// API is declared here (the wheel carries no headers), as in liblsl's include/lsl/*.h.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct lsl_streaminfo_struct_ *lsl_streaminfo;
typedef struct lsl_inlet_struct_ *lsl_inlet;
extern int32_t lsl_resolve_byprop(lsl_streaminfo *buffer, uint32_t buffer_elements, const char *prop,
                                  const char *value, int32_t minimum, double timeout);
extern lsl_inlet lsl_create_inlet(lsl_streaminfo info, int32_t max_buflen, int32_t max_chunklen, int32_t recover);
extern void lsl_open_stream(lsl_inlet in, double timeout, int32_t *ec);
extern double lsl_pull_sample_f(lsl_inlet in, float *buffer, int32_t buffer_elements, double timeout, int32_t *ec);
extern void lsl_destroy_inlet(lsl_inlet in);

static volatile sig_atomic_t stop_requested = 0;
static void on_signal(int signal_number) { (void)signal_number; stop_requested = 1; }

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SOURCE_ID OUT\n", argv[0]);
        return 2;
    }
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    lsl_streaminfo info;
    if (lsl_resolve_byprop(&info, 1, "source_id", argv[1], 1, 15.0) < 1) {
        fprintf(stderr, "lsl_inlet: no stream with source_id %s\n", argv[1]);
        return 1;
    }
    // One-sample chunks, as a real-time consumer asks for; 360 s of buffer (liblsl's default).
    lsl_inlet inlet = lsl_create_inlet(info, 360, 1, 0);
    int32_t error = 0;
    lsl_open_stream(inlet, 15.0, &error);
    if (!inlet || error != 0) {
        fprintf(stderr, "lsl_inlet: cannot open the stream (error %d)\n", error);
        return 1;
    }
    fputs("ready\n", stdout);
    fflush(stdout);

    size_t capacity = 1 << 17, count = 0;
    int64_t *records = malloc(capacity * 2 * sizeof(int64_t));
    float values[8];
    while (!stop_requested) {
        // A short timeout only so that SIGTERM is noticed: the wait itself is liblsl's own.
        double stamp = lsl_pull_sample_f(inlet, values, 8, 0.2, &error);
        int64_t now = monotonic_ns();
        if (error != 0) break;
        if (stamp == 0.0) continue;
        if (count == capacity) {
            capacity *= 2;
            records = realloc(records, capacity * 2 * sizeof(int64_t));
            if (!records) { perror("realloc"); return 3; }
        }
        records[2 * count] = (int64_t)values[0];
        records[2 * count + 1] = now;
        count++;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out || fwrite(records, 2 * sizeof(int64_t), count, out) != count || fclose(out) != 0) {
        perror("lsl_inlet: write");
        return 1;
    }
    printf("samples=%zu\n", count);
    lsl_destroy_inlet(inlet);
    return 0;
}
