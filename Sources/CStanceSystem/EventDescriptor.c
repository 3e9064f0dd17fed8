#include "StanceSystem.h"
#include <sys/eventfd.h>

int stance_event_descriptor(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}
