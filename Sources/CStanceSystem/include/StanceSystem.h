#ifndef STANCE_SYSTEM_H
#define STANCE_SYSTEM_H
// Thin C wrappers for Linux calls Swift's Glibc module does not import (declared only with
// _GNU_SOURCE / _XOPEN_SOURCE, or variadic such as ioctl).

/// Opens a new pseudo-terminal primary side, unlocked and with permissions granted; writes the
/// secondary side's path (NUL-terminated) into `path`. Returns the descriptor, or -1 with errno.
int stance_open_pseudo_terminal(char *path, unsigned long path_capacity);



/// Bytes waiting to be read on a terminal (FIONREAD), or -1 with errno.
int stance_terminal_unread_bytes(int descriptor);
#endif
