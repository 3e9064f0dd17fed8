#include "StanceSystem.h"
#include <linux/hidraw.h>
#include <linux/input.h>
#include <string.h>
#include <sys/ioctl.h>

int stance_evdev_name(int descriptor, char *name, unsigned long capacity) {
    memset(name, 0, capacity);
    return ioctl(descriptor, EVIOCGNAME(capacity - 1), name) < 0 ? -1 : 0;
}

int stance_evdev_id(int descriptor, unsigned short *bustype, unsigned short *vendor, unsigned short *product,
                    unsigned short *version) {
    struct input_id id;
    if (ioctl(descriptor, EVIOCGID, &id) != 0) return -1;
    *bustype = id.bustype;
    *vendor = id.vendor;
    *product = id.product;
    *version = id.version;
    return 0;
}

int stance_evdev_abs(int descriptor, unsigned int axis, int *value, int *minimum, int *maximum, int *fuzz, int *flat,
                     int *resolution) {
    struct input_absinfo info;
    if (ioctl(descriptor, EVIOCGABS(axis), &info) != 0) return -1;
    *value = info.value;
    *minimum = info.minimum;
    *maximum = info.maximum;
    *fuzz = info.fuzz;
    *flat = info.flat;
    *resolution = info.resolution;
    return 0;
}

int stance_evdev_grab(int descriptor, int grab) {
    return ioctl(descriptor, EVIOCGRAB, grab ? 1 : 0);
}

int stance_hidraw_info(int descriptor, unsigned int *bustype, short *vendor, short *product) {
    struct hidraw_devinfo info;
    if (ioctl(descriptor, HIDIOCGRAWINFO, &info) != 0) return -1;
    *bustype = info.bustype;
    *vendor = info.vendor;
    *product = info.product;
    return 0;
}

int stance_hidraw_name(int descriptor, char *name, unsigned long capacity) {
    memset(name, 0, capacity);
    return ioctl(descriptor, HIDIOCGRAWNAME(capacity - 1), name) < 0 ? -1 : 0;
}

int stance_hidraw_descriptor(int descriptor, unsigned char *bytes, unsigned long capacity) {
    int size = 0;
    if (ioctl(descriptor, HIDIOCGRDESCSIZE, &size) != 0) return -1;
    if (size < 0 || (unsigned long)size > capacity || size > HID_MAX_DESCRIPTOR_SIZE) return -1;
    struct hidraw_report_descriptor descriptor_buffer;
    descriptor_buffer.size = (unsigned int)size;
    if (ioctl(descriptor, HIDIOCGRDESC, &descriptor_buffer) != 0) return -1;
    memcpy(bytes, descriptor_buffer.value, (unsigned long)size);
    return size;
}

int stance_hidraw_send_feature(int descriptor, const unsigned char *report, unsigned long length) {
    return ioctl(descriptor, HIDIOCSFEATURE(length), report) < 0 ? -1 : 0;
}
