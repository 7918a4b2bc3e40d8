# SPDX-License-Identifier: GPL-2.0
#
# tsnic: out-of-tree build of driver/tsnic.ko plus the user tools.
#
#   make                     module + tools for KDIR (default: the running
#                            kernel's headers, else the newest installed)
#   make KDIR=/path/to/build one kernel tree
#   make W=1 / make C=2      extra warnings / sparse (passed to kbuild)
#   make deps                install build and test dependencies (Debian)
#   make check [KVERS=..] [T=name]   selftests in the VM on each kernel
#   make check-debug [T=name]  the selftests on a KASAN/lockdep/kmemleak/UBSAN
#                            6.12 kernel built (once, cached) from linux-source
#   make run                 the demonstration, in the VM
#   make bench [KVERS=..] [BENCH_OUT=dir]  benchmarks in the VM: report + plots
#   make checkpatch          checkpatch.pl --strict over the driver

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

KVER ?= $(shell uname -r)
ifeq ($(origin KDIR),undefined)
  KDIR := $(firstword $(wildcard /lib/modules/$(KVER)/build) \
	    $(lastword $(sort $(wildcard /lib/modules/*/build))))
endif

TSNIC_VERSION := $(shell git -C $(TOP) describe --always --dirty --tags 2>/dev/null || echo 0.1)
export TSNIC_VERSION

# The kernels `make check` uses: the installed 6.1 and 6.12 Debian kernels.
KVERS ?= $(shell $(TOP)/selftests/vm/kvers.sh)

.PHONY: all modules tools clean deps check check-debug run checkpatch selftests bench

all: modules tools

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers found: install linux-headers-$(KVER) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tools:
	$(MAKE) -C $(TOP)/tools/tsnic

selftests: tools
	$(MAKE) -C $(TOP)/selftests

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi
	$(MAKE) -C $(TOP)/tools/tsnic clean
	$(MAKE) -C $(TOP)/selftests clean
	rm -rf $(TOP)/.build

deps:
	$(TOP)/selftests/vm/deps.sh

check:
	$(TOP)/selftests/vm/check.sh $(if $(T),-t '$(T)') $(KVERS)

check-debug:
	$(TOP)/selftests/vm/debug-kernel.sh $(if $(T),-t '$(T)')

run:
	$(TOP)/selftests/vm/run-demo.sh $(firstword $(KVERS))

checkpatch:
	$(TOP)/selftests/vm/checkpatch.sh

# One VM per kernel; without KVERS= on the command line, the 6.12 kernel.
bench:
	$(if $(BENCH_OUT),BENCH_OUT='$(BENCH_OUT)') $(TOP)/bench/run.sh $(if $(BENCH_QUICK),-q) \
		$(if $(filter command line environment,$(origin KVERS)),$(KVERS),$(lastword $(KVERS)))
