#include "StanceSystem.h"
#include <errno.h>
#include <time.h>

unsigned long long stance_monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (unsigned long long)now.tv_sec * 1000000000ULL + (unsigned long long)now.tv_nsec;
}

void stance_sleep_until(unsigned long long deadline_nanoseconds) {
    struct timespec deadline = {
        .tv_sec = (time_t)(deadline_nanoseconds / 1000000000ULL),
        .tv_nsec = (long)(deadline_nanoseconds % 1000000000ULL),
    };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR) {}
}
