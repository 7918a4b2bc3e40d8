# SPDX-License-Identifier: GPL-2.0
#
# tsnic: out-of-tree build of driver/tsnic.ko plus the user tools.
#
#   make                     module + tools for KDIR (default: the running
#                            kernel's headers, else the newest installed)
#   make KDIR=/path/to/build one kernel tree
#   make W=1 / make C=2      extra warnings / sparse (passed to kbuild)
#   make deps                install build and test dependencies (Debian)
#   make check [KVERS=..] [T=name] [JOBS=n] [DEBUG_T=names|all] [PLAN=ci] [HOG=n]
#                            selftests in VMs on each kernel of the matrix,
#                            JOBS VMs at once (default 2), plus the debug
#                            kernel with DEBUG_T; static checks; a quick
#                            bench.  PLAN=ci: what CI runs (selftests/ci-plan)
#   make check-debug [T=name]  the selftests on a KASAN/lockdep/kmemleak/UBSAN
#                            6.12 kernel built (once, cached) from linux-source
#   make soak [MINUTES=N] [KVERS=kver]  N minutes (default 30) of traffic,
#                            faults, ptp4l, reconfiguration, deletes and
#                            reloads on the debug kernel (or on the one
#                            kernel KVERS names), every frame counted (not
#                            in CI)
#   make run                 the demonstration, in the VM
#   make bench [KVERS=..] [BENCH_OUT=dir]  benchmarks in the VM: report + plots
#   make checkpatch          checkpatch.pl --strict over the driver
#   make regen               uapi/linux/tsnic.h and driver/netlink-gen.[ch]
#                            from Documentation/netlink/specs/tsnic.yaml
#   make install / uninstall  the module (modules_install + depmod), the CLI
#                            in $(PREFIX)/sbin and its man page; DESTDIR=
#                            installs into a staging tree
#
# run, check, check-debug and bench install what they need first (make deps,
# which costs a few milliseconds once everything is there).

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

KVER ?= $(shell uname -r)
ifeq ($(origin KDIR),undefined)
  KDIR := $(firstword $(wildcard /lib/modules/$(KVER)/build) \
	    $(lastword $(sort $(wildcard /lib/modules/*/build))))
endif

TSNIC_VERSION := $(shell git -C $(TOP) describe --always --dirty --tags 2>/dev/null || echo 0.1)
export TSNIC_VERSION

# The kernels `make check` uses: the installed Debian 6.1, 6.12 and 6.12
# PREEMPT_RT kernels (make deps installs them).
# KVERS= may name them short: 6.1, 6.12, rt (scripts/kvers.sh resolves).
KVERS ?= $(shell $(TOP)/scripts/kvers.sh)
kvers = $(shell $(TOP)/scripts/kvers.sh $(KVERS))

.PHONY: all modules tools clean deps deps-quick check check-debug soak run checkpatch \
	selftests bench install uninstall regen

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
	$(TOP)/scripts/deps.sh

deps-quick:
	@$(TOP)/scripts/deps.sh --quick

# KVERS is expanded when a recipe runs: after deps-quick installed the kernels.
check: deps-quick
	$(TOP)/selftests/vm/check.sh $(if $(T),-t '$(T)') $(if $(JOBS),-j $(JOBS)) \
		$(if $(DEBUG_T),-D '$(DEBUG_T)') $(if $(PLAN),-p $(TOP)/selftests/$(PLAN)-plan) \
		$(if $(HOG),-H $(HOG)) $(kvers)

check-debug: deps-quick
	$(TOP)/selftests/vm/check.sh -S $(if $(JOBS),-j $(JOBS)) -D '$(or $(T),all)'

soak: deps-quick
	$(TOP)/selftests/vm/soak.sh $(or $(MINUTES),30) \
		$(if $(filter command line,$(origin KVERS)),$(kvers))

run: deps-quick
	$(TOP)/selftests/vm/run-demo.sh

checkpatch: deps-quick
	$(TOP)/scripts/checkpatch.sh

regen:
	$(TOP)/scripts/regen.sh

PREFIX ?= /usr/local
DESTDIR ?=

# The kernel release KDIR builds for (/lib/modules/RELEASE/build).
KREL = $(notdir $(patsubst %/build,%,$(KDIR)))

# With DESTDIR (a staging tree for a package) depmod is left to the
# package's installation, as distributions do.
install: all
	$(MAKE) -C $(KDIR) M=$(TOP) $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	$(if $(DESTDIR),,depmod $(KREL))
	install -D -m 0755 $(TOP)/tools/tsnic/tsnic $(DESTDIR)$(PREFIX)/sbin/tsnic
	install -D -m 0644 $(TOP)/Documentation/tsnic.8 $(DESTDIR)$(PREFIX)/share/man/man8/tsnic.8

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/tsnic $(DESTDIR)$(PREFIX)/share/man/man8/tsnic.8
	find $(DESTDIR)/lib/modules/$(KREL) -name 'tsnic.ko*' \
		\( -path '*/updates/*' -o -path '*/extra/*' \) -delete
	$(if $(DESTDIR),,depmod $(KREL))

# One VM per kernel; without KVERS= on the command line, the generic 6.12 kernel.
bench: deps-quick
	$(if $(BENCH_OUT),BENCH_OUT='$(BENCH_OUT)') $(TOP)/bench/run.sh $(if $(BENCH_QUICK),-q) \
		$(if $(filter command line environment,$(origin KVERS)),$(kvers),$(lastword $(filter-out %-rt-amd64,$(kvers))))
