// Inside the test VM: creates a uinput "Nintendo Wii Remote Balance Board" (hid-wiimote's axes and
// ranges) and a uhid "Vernier GDX-FP" (USB 08f7:0010, the joystick descriptor of Linux
// drivers/hid/hid-pxrc.c), sends a few events, and keeps both alive for argv[1] seconds.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <sys/ioctl.h>
#include <linux/input.h>
#include <linux/uinput.h>
#include <linux/uhid.h>

static void die(const char *m) { perror(m); exit(1); }

static void emit(int fd, int type, int code, int val) {
    struct input_event ie; memset(&ie, 0, sizeof ie);
    ie.type = type; ie.code = code; ie.value = val;
    if (write(fd, &ie, sizeof ie) != sizeof ie) perror("uinput write");
}

static const unsigned char rdesc[] = {
 0x05,0x01,0x09,0x04,0xA1,0x01,0x09,0x01,0xA1,0x00,0x09,0x30,0x09,0x36,0x09,0x31,
 0x09,0x32,0x09,0x33,0x09,0x34,0x09,0x35,0x09,0x37,0x15,0x00,0x26,0xFF,0x00,0x35,
 0x00,0x46,0xFF,0x00,0x75,0x08,0x95,0x08,0x81,0x02,0xC0,0xC0 };

int main(int argc, char **argv) {
    int secs = argc > 1 ? atoi(argv[1]) : 60;
    /* ---- uinput ---- */
    int ufd = open("/dev/uinput", O_WRONLY | O_NONBLOCK);
    if (ufd < 0) die("open /dev/uinput");
    if (ioctl(ufd, UI_SET_EVBIT, EV_KEY) < 0) die("UI_SET_EVBIT KEY");
    if (ioctl(ufd, UI_SET_KEYBIT, BTN_A) < 0) die("UI_SET_KEYBIT");
    if (ioctl(ufd, UI_SET_EVBIT, EV_ABS) < 0) die("UI_SET_EVBIT ABS");
    for (int c = ABS_HAT0X; c <= ABS_HAT1Y; c++) {
        if (ioctl(ufd, UI_SET_ABSBIT, c) < 0) die("UI_SET_ABSBIT");
        struct uinput_abs_setup a; memset(&a, 0, sizeof a);
        a.code = c; a.absinfo.minimum = 0; a.absinfo.maximum = 65535;
        a.absinfo.fuzz = 2; a.absinfo.flat = 4;
        if (ioctl(ufd, UI_ABS_SETUP, &a) < 0) die("UI_ABS_SETUP");
    }
    struct uinput_setup us; memset(&us, 0, sizeof us);
    us.id.bustype = BUS_BLUETOOTH; us.id.vendor = 0x057e; us.id.product = 0x0306;
    strcpy(us.name, "Nintendo Wii Remote Balance Board");
    if (ioctl(ufd, UI_DEV_SETUP, &us) < 0) die("UI_DEV_SETUP");
    if (ioctl(ufd, UI_DEV_CREATE) < 0) die("UI_DEV_CREATE");
    char sys[64] = "";
    if (ioctl(ufd, UI_GET_SYSNAME(sizeof sys), sys) >= 0)
        printf("mkdevs: uinput created /sys/devices/virtual/input/%s\n", sys);

    /* ---- uhid ---- */
    int hfd = open("/dev/uhid", O_RDWR | O_CLOEXEC);
    if (hfd < 0) die("open /dev/uhid");
    struct uhid_event ev; memset(&ev, 0, sizeof ev);
    ev.type = UHID_CREATE2;
    strcpy((char *)ev.u.create2.name, "Vernier GDX-FP");
    strcpy((char *)ev.u.create2.phys, "stance-vm-test/uhid0");
    strcpy((char *)ev.u.create2.uniq, "GDX-FP-TEST-0001");
    memcpy(ev.u.create2.rd_data, rdesc, sizeof rdesc);
    ev.u.create2.rd_size = sizeof rdesc;
    ev.u.create2.bus = BUS_USB; ev.u.create2.vendor = 0x08F7; ev.u.create2.product = 0x0010;
    ev.u.create2.version = 0; ev.u.create2.country = 0;
    if (write(hfd, &ev, sizeof ev) < 0) die("UHID_CREATE2");
    printf("mkdevs: uhid create2 sent (rd_size=%zu)\n", sizeof rdesc);
    fflush(stdout);

    /* a few input events on the board */
    for (int i = 0; i < 3; i++) {
        for (int c = ABS_HAT0X; c <= ABS_HAT1Y; c++) emit(ufd, EV_ABS, c, 1000 * (i + 1) + c);
        emit(ufd, EV_SYN, SYN_REPORT, 0);
    }
    emit(ufd, EV_KEY, BTN_A, 1); emit(ufd, EV_SYN, SYN_REPORT, 0);
    emit(ufd, EV_KEY, BTN_A, 0); emit(ufd, EV_SYN, SYN_REPORT, 0);

    /* service uhid events until timeout */
    time_t end = time(NULL) + secs;
    int n = 0;
    while (time(NULL) < end) {
        struct pollfd p = { .fd = hfd, .events = POLLIN };
        int r = poll(&p, 1, 500);
        if (r > 0 && (p.revents & POLLIN)) {
            struct uhid_event in; ssize_t l = read(hfd, &in, sizeof in);
            if (l > 0) {
                const char *nm = in.type == UHID_START ? "START" : in.type == UHID_OPEN ? "OPEN" :
                    in.type == UHID_CLOSE ? "CLOSE" : in.type == UHID_STOP ? "STOP" : "other";
                printf("mkdevs: uhid event %u (%s)\n", in.type, nm); fflush(stdout);
                if (in.type == UHID_OPEN || in.type == UHID_START) {
                    struct uhid_event o; memset(&o, 0, sizeof o);
                    o.type = UHID_INPUT2; o.u.input2.size = 8;
                    for (int k = 0; k < 8; k++) o.u.input2.data[k] = 0x10 * k + (n++ & 0xf);
                    write(hfd, &o, sizeof o);
                }
            }
        }
    }
    memset(&ev, 0, sizeof ev); ev.type = UHID_DESTROY; write(hfd, &ev, sizeof ev);
    ioctl(ufd, UI_DEV_DESTROY);
    return 0;
}
