# SPDX-License-Identifier: GPL-2.0
#
# Entry points.  The module itself is built by kbuild from ./Kbuild
# (make -C <kernel> M=$(pwd)); everything here goes through the xtask,
# which installs what is missing, builds the cached kernel and runs the VM.

XTASK = cargo run -q --release --manifest-path user/Cargo.toml -p xtask --

.PHONY: run test test-host test-vm test-leak fuzz-long bench bench-art bench-kernel bench-i2 setup kernel module clean

run:            ## the demo: VM, topology, module, shim6d, a TCP stream surviving a path failure
	$(XTASK) run

test:           ## host tests, fuzz runs and VM scenarios; ends with "N passed, N failed"
	$(XTASK) test

test-host:
	$(XTASK) test host

test-vm:        ## VM scenarios only; SCENARIOS="30-reachability ..." picks some
	$(XTASK) test vm $(SCENARIOS)

test-leak:      ## the kmemleak + KASAN run on the debug kernel (part of `make test`)
	$(XTASK) test leak

fuzz-long:      ## every fuzz target for FUZZ_SECONDS (600) each, FUZZ_JOBS processes; prints executions and crashes, writes bench-results/fuzz.csv
	$(XTASK) fuzz-long

bench:          ## benchmarks; results in bench-results/
	$(XTASK) bench

bench-art:      ## only the application recovery time benchmark (ART_FAILURES=, ART_TSEND=, ART_PATH_UPDATE=)
	$(XTASK) bench art

bench-kernel:   ## only the kernel sublayer benchmark (throughput, latency, 100 000 contexts)
	$(XTASK) bench kernel

bench-i2:       ## only the I2-at-scale benchmark (shim6d's responder with 1 000 to 100 000 contexts; host, no VM)
	$(XTASK) bench i2

setup:          ## install packages and tools only
	$(XTASK) setup

kernel:         ## build (or find in the cache) the test kernel; prints its directory
	$(XTASK) kernel

module:         ## build rust/shim6.ko against the test kernel
	$(XTASK) module

clean:
	rm -f rust/*.o rust/*.ko rust/*.mod rust/*.mod.c rust/.*.cmd .*.cmd Module.symvers modules.order rust/modules.order
	cargo clean --manifest-path user/Cargo.toml
