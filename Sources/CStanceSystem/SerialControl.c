#include "StanceSystem.h"
#include <sys/ioctl.h>
#include <termios.h>

int stance_set_exclusive(int descriptor, int exclusive) {
    return ioctl(descriptor, exclusive ? TIOCEXCL : TIOCNXCL);
}

int stance_get_exclusive(int descriptor, int *exclusive) {
    return ioctl(descriptor, TIOCGEXCL, exclusive);
}

int stance_set_modem_line(int descriptor, int line, int on) {
    int bits = line;
    return ioctl(descriptor, on ? TIOCMBIS : TIOCMBIC, &bits);
}

int stance_modem_line_dtr(void) { return TIOCM_DTR; }
int stance_modem_line_rts(void) { return TIOCM_RTS; }
