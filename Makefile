# Stance: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
NATIVE_BUILD := .build-native

.PHONY: all build demo test bench fixtures interop fuzz install check-udev-rules check-systemd-units vm-test clean

all: build

build:
	@scripts/ensure-system-packages
	$(SWIFT) build

# The daemon with a simulated dual force plate, the live view for 20 s and a recorded session
# (scripts/demo says what it does; nothing is installed, all files go to a /tmp directory).
DEMO_SECONDS ?= 20
demo:
	@scripts/ensure-system-packages
	$(SWIFT) build --product stance
	$(SWIFT) build --product stanced
	@scripts/demo $$($(SWIFT) build --show-bin-path) $(DEMO_SECONDS)

test:
	@scripts/ensure-system-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Release builds, for this machine's CPU (as the reference C code is measured with -march=native)
# and for the portable x86-64 baseline, timed against SciPy in the same script.
bench:
	@scripts/ensure-system-packages --python
	$(SWIFT) build -c release --product stance-bench
	$(SWIFT) build -c release --product stance-bench --scratch-path $(NATIVE_BUILD) -Xswiftc -target-cpu -Xswiftc native
	python3 scripts/bench_reference.py --swift-bench $(NATIVE_BUILD)/release/stance-bench \
		--swift-bench-portable $$($(SWIFT) build -c release --show-bin-path)/stance-bench
	python3 scripts/imu/bench_ahrs.py --swift-bench $(NATIVE_BUILD)/release/stance-bench \
		--swift-bench-portable $$($(SWIFT) build -c release --show-bin-path)/stance-bench

fixtures:
	@scripts/ensure-system-packages --python
	python3 scripts/make_fixtures.py

interop:
	@scripts/ensure-system-packages --python
	$(SWIFT) build --product stance
	python3 scripts/interop/analyze_matches_reference.py --stance $$($(SWIFT) build --show-bin-path)/stance
	$(SWIFT) build --build-tests
	python3 scripts/interop/xdf_roundtrip.py --swift $(SWIFT)
	python3 scripts/interop/c3d_reads_back.py --swift $(SWIFT)
	$(SWIFT) build --product stanced
	python3 scripts/interop/session_xdf_matches_csv.py --bin $$($(SWIFT) build --show-bin-path)
	python3 scripts/interop/imu_session.py --bin $$($(SWIFT) build --show-bin-path)

# libFuzzer on every decoder: FUZZ_SECONDS each (CI: 7 s × 8 targets), new finds go to scratch
# corpora under Fuzz/.build; the seed corpora in Fuzz/corpus stay as committed.
FUZZ_SECONDS ?= 10
FUZZ_TARGETS := CellForceCSV:cell-force-csv LineProtocol:line-protocol BinaryProtocol:binary-protocol \
	WitMotion:witmotion BalanceBoardEvents:balance-board-events HIDDescriptor:hid-descriptor \
	GoDirect:go-direct XDFReader:xdf-reader
fuzz:
	@scripts/ensure-system-packages
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -use-ld=lld
	@set -e; for pair in $(FUZZ_TARGETS); do \
		target=$${pair%%:*}; corpus=$${pair#*:}; scratch=Fuzz/.build/corpus-$$corpus; \
		mkdir -p $$scratch; \
		echo "== fuzz $$target for $(FUZZ_SECONDS) s"; \
		if ! SWIFT_BACKTRACE=enable=no Fuzz/.build/release/Fuzz$$target -artifact_prefix=Fuzz/.build/ \
			-max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
			$$scratch Fuzz/corpus/$$corpus > $$scratch.log 2>&1; then \
			tail -40 $$scratch.log; echo "fuzz $$target FAILED: input saved under Fuzz/.build/"; exit 1; \
		fi; \
		grep -E "^(Done|stat::average_exec_per_sec)" $$scratch.log; \
	done

# The release binaries, the hardened stanced units, the stance user and group (sysusers.d), the
# drivers the unit's device allow-list needs at boot (modules-load.d), and udev rules giving devices
# /dev/stance/ names and the stance group. Units go to /etc/systemd/system, which systemd reads
# whatever PREFIX is (it searches $(PREFIX)/lib/systemd/system only for /usr and /usr/local);
# ExecStart= is rewritten to $(BINDIR). With DESTDIR (staging, packaging) files are only copied:
# no users created, no udev or systemd reload.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
UNITDIR ?= /etc/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
UDEVRULESDIR ?= /etc/udev/rules.d
.PHONY: uninstall
install:
	@scripts/ensure-system-packages
	$(SWIFT) build -c release --product stanced
	$(SWIFT) build -c release --product stance
	install -D -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/stanced" "$(DESTDIR)$(BINDIR)/stanced"
	install -D -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/stance" "$(DESTDIR)$(BINDIR)/stance"
	install -d "$(DESTDIR)$(UNITDIR)"
	sed 's|^ExecStart=/usr/local/bin/stanced|ExecStart=$(BINDIR)/stanced|' systemd/stanced.service > "$(DESTDIR)$(UNITDIR)/stanced.service"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/stanced.service"
	install -m 0644 systemd/stanced.socket "$(DESTDIR)$(UNITDIR)/stanced.socket"
	install -D -m 0644 systemd/stance.sysusers "$(DESTDIR)$(SYSUSERSDIR)/stance.conf"
	install -D -m 0644 systemd/stance-modules.conf "$(DESTDIR)$(MODULESLOADDIR)/stance.conf"
	install -D -m 0644 udev-rules/70-stance.rules "$(DESTDIR)$(UDEVRULESDIR)/70-stance.rules"
	@if [ -z "$(DESTDIR)" ]; then \
		if command -v systemd-sysusers >/dev/null; then systemd-sysusers "$(SYSUSERSDIR)/stance.conf"; \
		else getent group stance >/dev/null || groupadd --system stance; \
			getent passwd stance >/dev/null || useradd --system --gid stance --no-create-home --home-dir / --shell /usr/sbin/nologin stance; fi; \
		modprobe -a usbserial cdc_acm hid 2>/dev/null || true; \
		udevadm control --reload-rules && udevadm trigger --subsystem-match=tty --subsystem-match=hidraw --subsystem-match=input || true; \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		echo "Start the daemon now and at boot: systemctl enable --now stanced.socket stanced.service"; \
		echo "Add users who run stance to the group: usermod -aG stance USER (then log in again)."; \
	fi

# Removes what install put; keeps the stance user and group (files may still be theirs) and the
# sessions in /var/lib/stance.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl disable --now stanced.service stanced.socket 2>/dev/null || true; fi
	rm -f "$(DESTDIR)$(BINDIR)/stanced" "$(DESTDIR)$(BINDIR)/stance"
	rm -f "$(DESTDIR)$(UNITDIR)/stanced.service" "$(DESTDIR)$(UNITDIR)/stanced.socket"
	rm -f "$(DESTDIR)$(SYSUSERSDIR)/stance.conf" "$(DESTDIR)$(MODULESLOADDIR)/stance.conf"
	rm -f "$(DESTDIR)$(UDEVRULESDIR)/70-stance.rules"
	@if [ -z "$(DESTDIR)" ]; then \
		udevadm control --reload-rules 2>/dev/null || true; \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		echo "Kept: the stance user and group, and /var/lib/stance (sessions)."; \
	fi

check-udev-rules:
	scripts/check-udev-rules

# The systemd units: systemd-analyze verify, and security exposure at most 2.0 (offline).
check-systemd-units:
	@scripts/ensure-system-packages
	$(SWIFT) build --product stanced
	scripts/check-systemd-units $$($(SWIFT) build --show-bin-path)/stanced

# Real kernel devices in a QEMU VM (uinput balance board, uhid Go Direct): stance devices must
# find and match both. Needs root (installs qemu, a Debian kernel and busybox).
vm-test:
	@scripts/ensure-system-packages
	$(SWIFT) build --product stance
	scripts/vm/run $$($(SWIFT) build --show-bin-path)/stance

clean:
	rm -rf .build $(NATIVE_BUILD) Fuzz/.build

# Live-sample latency of stanced against Lab Streaming Layer on this machine, and stanced's CPU and
# memory at 1 kHz (Benchmarks/latency/run.py; it installs pylsl and compiles its C subscribers).
# A smoke run: make bench-latency BENCH_LATENCY_ARGS="--seconds 2 --cpu-seconds 3"
BENCH_LATENCY_ARGS ?=
.PHONY: bench-latency
bench-latency:
	@scripts/ensure-system-packages
	$(SWIFT) build -c release --product stanced
	python3 Benchmarks/latency/run.py --stanced $$($(SWIFT) build -c release --show-bin-path)/stanced \
		--json-out .build/latency.json $(BENCH_LATENCY_ARGS)
