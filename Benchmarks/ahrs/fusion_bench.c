// Times x-io Fusion's AHRS C core on the workload stance-bench times OrientationFilter on (a file of
// float32 samples: gyroscope rad/s, accelerometer m/s², magnetometer µT, 9 per sample), for
// scripts/imu/bench_ahrs.py, which downloads Fusion's sources at bench time and compiles this
// file with them (they are never committed). Prints one JSON object.
// Usage: fusion_bench WORKLOAD RATE_HZ UPDATES REPEATS
#include "Fusion.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

typedef struct {
    FusionVector gyroscope; // degrees/s, Fusion's unit
    FusionVector accelerometer; // g
    FusionVector magnetometer; // µT
} Sample;

// Fusion's recommended settings (its README): the ones scripts/imu/compare_ahrs.py uses.
static FusionAhrs fresh_ahrs(float rate_hz) {
    FusionAhrs ahrs;
    FusionAhrsInitialise(&ahrs);
    const FusionAhrsSettings settings = {
        .sampleRate = rate_hz, .convention = FusionConventionNwu, .gain = 0.5f, .gyroscopeRange = 2000.0f,
        .accelerationRejection = 10.0f, .magneticRejection = 10.0f, .rejectionTimeout = 5.0f,
    };
    FusionAhrsSetSettings(&ahrs, &settings);
    return ahrs;
}

// Not inlined into main, like the Swift side's loop; Fusion's update functions are in their own
// translation unit, as in any application that links Fusion.
__attribute__((noinline)) static float run(const Sample *samples, size_t count, size_t passes, float rate_hz, int magnetometer) {
    FusionAhrs ahrs = fresh_ahrs(rate_hz);
    float checksum = 0;
    for (size_t pass = 0; pass < passes; pass++) {
        for (size_t i = 0; i < count; i++) {
            if (magnetometer) {
                FusionAhrsUpdate(&ahrs, samples[i].gyroscope, samples[i].accelerometer, samples[i].magnetometer);
            } else {
                FusionAhrsUpdateNoMagnetometer(&ahrs, samples[i].gyroscope, samples[i].accelerometer);
            }
        }
        checksum += FusionAhrsGetQuaternion(&ahrs).element.w;
    }
    return checksum;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s WORKLOAD RATE_HZ UPDATES REPEATS\n", argv[0]);
        return 64;
    }
    const float rate_hz = strtof(argv[2], NULL);
    const size_t updates = strtoul(argv[3], NULL, 10);
    const int repeats = atoi(argv[4]);
    FILE *file = fopen(argv[1], "rb");
    if (file == NULL) {
        perror(argv[1]);
        return 66;
    }
    size_t capacity = 1 << 16, count = 0;
    Sample *samples = malloc(capacity * sizeof *samples);
    float v[9];
    while (fread(v, sizeof(float), 9, file) == 9) {
        if (count == capacity) samples = realloc(samples, (capacity *= 2) * sizeof *samples);
        const float degrees = 180.0f / (float) M_PI, g = 9.80665f;
        samples[count++] = (Sample) {
            .gyroscope = {.axis = {v[0] * degrees, v[1] * degrees, v[2] * degrees}},
            .accelerometer = {.axis = {v[3] / g, v[4] / g, v[5] / g}},
            .magnetometer = {.axis = {v[6], v[7], v[8]}},
        };
    }
    fclose(file);
    if (count == 0) {
        fprintf(stderr, "%s: no samples\n", argv[1]);
        return 65;
    }
    const size_t passes = updates / count > 0 ? updates / count : 1;
    double best[2] = {INFINITY, INFINITY};
    float checksum = 0;
    for (int magnetometer = 0; magnetometer < 2; magnetometer++) {
        for (int r = 0; r < repeats; r++) {
            const double start = now_ns();
            checksum += run(samples, count, passes, rate_hz, magnetometer);
            const double elapsed = now_ns() - start;
            if (elapsed < best[magnetometer]) best[magnetometer] = elapsed;
        }
    }
    const double total = (double) (passes * count);
    printf("{\"ns_per_6_axis_update\": %.4f, \"ns_per_9_axis_update\": %.4f, \"updates\": %zu, \"checksum\": %f}\n",
           best[0] / total, best[1] / total, passes * count, checksum);
    free(samples);
    return 0;
}
