# hrun — an OCI container runtime.  `make help` lists the targets.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= gcc
CFLAGS ?= -O2 -g
HRUN_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. \
               -fno-strict-aliasing -MMD -MP
# hrun is linked statically by default: no dynamic loader at each start
# (it runs several times per container) and a smaller resident set; the
# Debian -dev packages ship the static libraries. STATIC=0 links them
# dynamically. libsystemd is not linked: the systemd cgroup driver loads
# libsystemd.so.0 with dlopen (libcontainer/cgroups/sdbus_dl.h); only the headers
# of libsystemd-dev are needed to build. (ld warns that a static binary's
# dlopen needs the same glibc at run time: as for glibc's own NSS modules.)
STATIC ?= 1
ifeq ($(STATIC),1)
LDFLAGS_HRUN := -static
LDLIBS_HRUN := -l:libyajl_s.a -lseccomp -lcap -lm
else
LDFLAGS_HRUN :=
LDLIBS_HRUN := -lyajl -lseccomp -lcap -lm
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

BUILD := build
LIB_SRCS := $(sort $(wildcard libcontainer/*/*.c nsexec/*.c))
RT_SRCS := $(sort $(wildcard runtime/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
RT_OBJS := $(RT_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
TEST_HELPERS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(wildcard tests/helpers/*.c))

.PHONY: man all lint check unit integration vm-check mutants deps demo bench bench-hooks bench-hooksd install clean help fuzz fuzz-check

all: hrun

help:
	@echo "make            build ./hrun"
	@echo "make deps       install the Debian packages to build and test (no-op when present)"
	@echo "make check      deps + build + unit and integration tests (as root)"
	@echo "make lint       the layer rule (tools/layers) and the file and function size limits"
	@echo "make unit       cmocka unit tests"
	@echo "make integration  bats integration tests (as root)"
	@echo "make vm-check   the cgroup v2 tests in a systemd + cgroup v2 Debian VM (qemu, as root)"
	@echo "make mutants    each CVE test fails on a build without its protection"
	@echo "make fuzz       libFuzzer targets, each run FUZZ_SECONDS (10); make fuzz-check in check"
	@echo "make demo       deps + build + run a busybox container"
	@echo "make bench      hrun against crun, runc and the kernel floor; writes docs/performance.md (as root)"
	@echo "make bench-hooks  the hook runner alone: a stage's cost per hook against a bare spawn"
	@echo "make bench-hooksd what a hooks.d of 20 files that do not match adds to create (as root)"
	@echo "make install    install hrun and its man pages (PREFIX, DESTDIR)"
	@echo "make man        rewrite the man pages' and the completion's parts made from the option tables"

hrun: $(BUILD)/hrun
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/hrun: $(RT_OBJS) $(BUILD)/libhrun.a
	$(CC) $(LDFLAGS_HRUN) $(LDFLAGS) -o $@ $(RT_OBJS) $(BUILD)/libhrun.a $(LDLIBS_HRUN)

$(BUILD)/libhrun.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/runtime/version.o: HRUN_CFLAGS += -DHRUN_VERSION='"$(VERSION)"' -DHRUN_COMMIT='"$(COMMIT)"'
$(BUILD)/runtime/version.o: VERSION

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HRUN_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libhrun.a
	@mkdir -p $(dir $@)
	$(CC) $(HRUN_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libhrun.a $(LDLIBS_HRUN) -lcmocka

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HRUN_CFLAGS) $(CFLAGS) -o $@ $<

deps:
	@contrib/install-deps.sh

# The layer rule of tools/layers (includes, calls, no circle between files)
# and the size limits: 800 lines per file, 60 per function.
lint: $(BUILD)/hrun
	@tools/check-layers.sh $(BUILD)
	@tools/check-sizes.sh

unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

integration: hrun $(TEST_HELPERS)
	@tests/integration/run.sh

# hrun's cgroup v2 tests in a Debian 12 guest with systemd as PID 1 and a
# pure cgroup v2 hierarchy, booted with qemu (docs/vm.md). In make check
# VM_CHECK=auto runs it when this host can (root, qemu, a Debian kernel)
# and says why not otherwise; VM_CHECK=0 leaves it out, VM_CHECK=1 insists.
# (make vm-check by hand insists; make check passes VM_CHECK on as VM_MODE.)
VM_CHECK ?= auto
vm-check: hrun $(TEST_HELPERS)
	@VM_CHECK=$(or $(VM_MODE),1) tests/vm/vm-check.sh

# Each CVE test must fail on a build without its protection.
mutants: $(TEST_HELPERS)
	@tests/security/mutants.sh

# libFuzzer targets, one per parser of outside input (fuzz/*.c), with
# AddressSanitizer and UndefinedBehaviorSanitizer. The library is rebuilt
# with clang and the sanitizers into build/fuzz/; yajl is linked as Debian
# ships it (libyajl_s.a, not instrumented): ASan still checks every heap
# block it allocates or frees, but neither coverage nor reads inside yajl
# are seen, only what hrun does with what it returns.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 10
FUZZ_RUNS ?= 0
FUZZ_TARGETS := config process resources state mountinfo hooksd
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -I. -fno-strict-aliasing -MMD -MP \
               -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SAN := address,undefined
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<

$(FUZZ_BUILD)/libhrun.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/%: $(FUZZ_BUILD)/fuzz/%.o $(FUZZ_BUILD)/libhrun.a
	$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< $(FUZZ_BUILD)/libhrun.a \
	  -l:libyajl_s.a -lseccomp -lcap -lm

# By hand, longer: make fuzz FUZZ_SECONDS=3600 (the corpus each target grows
# stays in build/fuzz/corpus/ for the next run).
fuzz: $(FUZZ_BINS)
	@fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_RUNS) $(FUZZ_TARGETS)

# In make check: 10 s and at most a million inputs per target.
fuzz-check: $(FUZZ_BINS)
	@fuzz/run.sh $(BUILD) 10 1000000 $(FUZZ_TARGETS)

# Every step runs even when one fails; the last one checks that the tests
# left the host as they found it (tests/security/host_state.sh).
check: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(BUILD) && tests/security/host_state.sh save $(BUILD)/host.before
	@status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(MAKE) --no-print-directory unit || status=1; \
	$(MAKE) --no-print-directory integration || status=1; \
	$(MAKE) --no-print-directory mutants || status=1; \
	$(MAKE) --no-print-directory fuzz-check || status=1; \
	$(MAKE) --no-print-directory vm-check VM_MODE=$(VM_CHECK) || status=1; \
	tests/security/host_state.sh compare $(BUILD)/host.before || status=1; \
	exit $$status

demo: deps
	@$(MAKE) --no-print-directory all
	@contrib/demo.sh ./hrun

# Speed and memory against crun and runc and two kernel floors, measured in
# one interleaved run, and hrun's run by protocol step (--debug timestamps);
# the results go into docs/performance.md. BENCH_N iterations (100).
bench: deps
	@$(MAKE) --no-print-directory all
	@bench/bench.sh

# The hook runner without a container: a 30-hook stage against 30 bare
# posix_spawn+waitpid of the same static hook (bench/hook_stage.c).
bench-hooks: $(BUILD)/libhrun.a
	@mkdir -p $(BUILD)/bench
	$(CC) -O2 -static -nostdlib -fno-stack-protector -o $(BUILD)/bench/hook bench/hook.c
	$(CC) $(HRUN_CFLAGS) $(CFLAGS) $(LDFLAGS_HRUN) -o $(BUILD)/bench/hook_stage \
	  bench/hook_stage.c $(BUILD)/libhrun.a $(LDLIBS_HRUN)
	@$(BUILD)/bench/hook_stage $(CURDIR)/$(BUILD)/bench/hook

# A hooks.d directory of 20 files that do not match: hooks_inject alone and
# whole creates, with and without it (bench/hooksd.sh).
bench-hooksd: all
	@bench/hooksd.sh

# The NAME, SYNOPSIS and OPTIONS of each man/hrun-CMD.8, hrun.8's command
# list and the completion's option lists come from the option tables the
# parser reads (hrun --gen-doc, spliced between the files' GENERATED
# markers by tools/gendoc.sh); tests/integration/manpages.bats fails when
# one is stale or a command has no page.
GENERATED_DOCS := $(wildcard man/*.8) contrib/hrun.bash-completion
man: hrun
	tools/gendoc.sh ./hrun update $(GENERATED_DOCS)

MAN8 := $(wildcard man/*.8)
MAN5 := $(wildcard man/*.5)

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

install: hrun
	install -D -m 0755 hrun $(DESTDIR)$(BINDIR)/hrun
	install -D -m 0644 contrib/hrun.bash-completion $(DESTDIR)$(BASHCOMPDIR)/hrun
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
ifneq ($(MAN5),)
	install -d $(DESTDIR)$(MANDIR)/man5
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
endif

clean:
	rm -rf $(BUILD) hrun

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
