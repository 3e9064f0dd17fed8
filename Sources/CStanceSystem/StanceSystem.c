#define _GNU_SOURCE
#include "StanceSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int stance_open_pseudo_terminal(char *path, unsigned long path_capacity) {
    int descriptor = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    if (grantpt(descriptor) != 0 || unlockpt(descriptor) != 0 || ptsname_r(descriptor, path, path_capacity) != 0) {
        int saved = errno;
        close(descriptor);
        errno = saved;
        return -1;
    }
    return descriptor;
}

#include <sys/ioctl.h>

int stance_terminal_unread_bytes(int descriptor) {
    int count = 0;
    if (ioctl(descriptor, FIONREAD, &count) != 0) return -1;
    return count;
}
