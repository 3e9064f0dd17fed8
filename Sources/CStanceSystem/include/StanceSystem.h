#ifndef STANCE_SYSTEM_H
#define STANCE_SYSTEM_H
// Thin C wrappers for Linux calls Swift's Glibc module does not import (declared only with
// _GNU_SOURCE / _XOPEN_SOURCE, or variadic such as ioctl).

/// Opens a new pseudo-terminal primary side, unlocked and with permissions granted; writes the
/// secondary side's path (NUL-terminated) into `path`. Returns the descriptor, or -1 with errno.
int stance_open_pseudo_terminal(char *path, unsigned long path_capacity);



/// Bytes waiting to be read on a terminal (FIONREAD), or -1 with errno.
int stance_terminal_unread_bytes(int descriptor);
/// Sets input and output speed to any rate in baud (termios2 with BOTHER); -1 with errno.
int stance_set_any_baud(int descriptor, unsigned int baud);

/// Reads the input and output speeds back in baud (termios2); -1 with errno.
int stance_get_baud(int descriptor, unsigned int *input_baud, unsigned int *output_baud);

/// TIOCEXCL / TIOCNXCL: refuse further opens of the terminal (except to CAP_SYS_ADMIN).
int stance_set_exclusive(int descriptor, int exclusive);

/// TIOCGEXCL: whether the terminal is in exclusive mode.
int stance_get_exclusive(int descriptor, int *exclusive);

/// Raises (`on` = 1) or drops a modem control line (TIOCMBIS / TIOCMBIC).
int stance_set_modem_line(int descriptor, int line, int on);
int stance_modem_line_dtr(void);
int stance_modem_line_rts(void);

/// CLOCK_MONOTONIC, nanoseconds.
unsigned long long stance_monotonic_nanoseconds(void);

/// Sleeps until CLOCK_MONOTONIC reaches `deadline_nanoseconds` (resumes after signals).
void stance_sleep_until(unsigned long long deadline_nanoseconds);

/// evdev: EVIOCGNAME, EVIOCGID, EVIOCGABS(axis), EVIOCGRAB. 0 or -1 with errno.
int stance_evdev_name(int descriptor, char *name, unsigned long capacity);
int stance_evdev_id(int descriptor, unsigned short *bustype, unsigned short *vendor, unsigned short *product,
                    unsigned short *version);
int stance_evdev_abs(int descriptor, unsigned int axis, int *value, int *minimum, int *maximum, int *fuzz, int *flat,
                     int *resolution);
int stance_evdev_grab(int descriptor, int grab);

/// hidraw: HIDIOCGRAWINFO, HIDIOCGRAWNAME, HIDIOCGRDESCSIZE + HIDIOCGRDESC (returns the size),
/// HIDIOCSFEATURE. -1 with errno on failure.
int stance_hidraw_info(int descriptor, unsigned int *bustype, short *vendor, short *product);
int stance_hidraw_name(int descriptor, char *name, unsigned long capacity);
int stance_hidraw_descriptor(int descriptor, unsigned char *bytes, unsigned long capacity);
int stance_hidraw_send_feature(int descriptor, const unsigned char *report, unsigned long length);

/// A close-on-exec, non-blocking eventfd starting at 0 (a doorbell between threads), or -1 with errno.
int stance_event_descriptor(void);

/// Names the calling thread (at most 15 bytes; PR_SET_NAME), for top -H and /proc. 0, or -1 with errno.
int stance_set_thread_name(const char *name);

#endif
