#!/bin/sh
# PID 1 of the test VM: load the input modules, create the devices, run `stance devices`.
export PATH=/bin:/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo "=== STANCE-VM: kernel $(uname -r)"
for m in hid hid-generic uhid uinput evdev; do insmod /lib/modules/$m.ko || echo "insmod $m FAILED"; done
# Hotplug: a watcher started before the devices exist must see them arrive (kernel uevents).
/bin/stance devices --watch 6 > /tmp/watch.log 2>&1 &
sleep 2
/bin/make-devices 60 > /tmp/make-devices.log 2>&1 &
i=0; while [ $i -lt 50 ]; do ls /dev/hidraw* >/dev/null 2>&1 && ls /dev/input/event* >/dev/null 2>&1 && break; sleep 0.2; i=$((i+1)); done
sleep 1
echo "=== stance devices"
/bin/stance devices; echo "rc=$?"
sleep 4
echo "=== stance devices --watch"
sed -n '/^watching/,$p' /tmp/watch.log
echo "=== STANCE-VM: done"
poweroff -f
