# Stance: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
NATIVE_BUILD := .build-native

.PHONY: all build demo test bench fixtures interop fuzz install check-udev-rules vm-test clean

all: build

build:
	@scripts/ensure-system-packages
	$(SWIFT) build

# Until the daemon lands: analyse the committed example recording (dual force plates, 30 s of quiet
# stance), as a table and as JSON.
demo:
	@scripts/ensure-system-packages
	$(SWIFT) build --product stance
	@echo "== stance analyze Examples/quiet-stance-dual.csv"
	@$$($(SWIFT) build --show-bin-path)/stance analyze Examples/quiet-stance-dual.csv
	@echo "== the same trial as JSON (stance analyze --json)"
	@$$($(SWIFT) build --show-bin-path)/stance analyze Examples/quiet-stance-dual.csv --json

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

fixtures:
	@scripts/ensure-system-packages --python
	python3 scripts/make_fixtures.py

interop:
	@scripts/ensure-system-packages --python
	$(SWIFT) build --product stance
	python3 scripts/interop/analyze_matches_reference.py --stance $$($(SWIFT) build --show-bin-path)/stance

# libFuzzer on every decoder: FUZZ_SECONDS each (CI: 7 s × 7 targets), new finds go to scratch
# corpora under Fuzz/.build; the seed corpora in Fuzz/corpus stay as committed.
FUZZ_SECONDS ?= 10
FUZZ_TARGETS := CellForceCSV:cell-force-csv LineProtocol:line-protocol BinaryProtocol:binary-protocol \
	WitMotion:witmotion BalanceBoardEvents:balance-board-events HIDDescriptor:hid-descriptor \
	GoDirect:go-direct
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

# Device access without root: the stance group and udev rules giving /dev/stance/ names.
install:
	@scripts/ensure-system-packages
	getent group stance >/dev/null || groupadd --system stance
	install -D -m 0644 udev-rules/70-stance.rules /etc/udev/rules.d/70-stance.rules
	-udevadm control --reload-rules && udevadm trigger --subsystem-match=tty --subsystem-match=hidraw --subsystem-match=input
	@echo "Add users who run stance to the group: usermod -aG stance USER (then log in again)."

check-udev-rules:
	scripts/check-udev-rules

# Real kernel devices in a QEMU VM (uinput balance board, uhid Go Direct): stance devices must
# find and match both. Needs root (installs qemu, a Debian kernel and busybox).
vm-test:
	@scripts/ensure-system-packages
	$(SWIFT) build --product stance
	scripts/vm/run $$($(SWIFT) build --show-bin-path)/stance

clean:
	rm -rf .build $(NATIVE_BUILD) Fuzz/.build
