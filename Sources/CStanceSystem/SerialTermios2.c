// termios2 (arbitrary baud rates through BOTHER) lives in <asm/termbits.h>, which clashes with
// glibc's <termios.h>: keep it alone in this file.
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <errno.h>

int ioctl(int fd, unsigned long request, ...);

int stance_set_any_baud(int descriptor, unsigned int baud) {
    struct termios2 settings;
    if (ioctl(descriptor, TCGETS2, &settings) != 0) return -1;
    settings.c_cflag &= ~CBAUD;
    settings.c_cflag |= BOTHER;
    settings.c_cflag &= ~(CBAUD << IBSHIFT);
    settings.c_cflag |= BOTHER << IBSHIFT;
    settings.c_ispeed = baud;
    settings.c_ospeed = baud;
    return ioctl(descriptor, TCSETS2, &settings);
}

int stance_get_baud(int descriptor, unsigned int *input_baud, unsigned int *output_baud) {
    struct termios2 settings;
    if (ioctl(descriptor, TCGETS2, &settings) != 0) return -1;
    *input_baud = settings.c_ispeed;
    *output_baud = settings.c_ospeed;
    return 0;
}
