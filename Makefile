# ab - benchmark LLMs, coding agents and multi-agent configurations.
# Targets: all deps vm-kernel test check stub-check bench demo fuzz install
# uninstall clean.
# Switches: SANITIZE=address,undefined  VALGRIND=1  PREFIX=  DESTDIR=

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/ab

CC ?= cc
CFLAGS ?= -O2 -g
PKGS = jansson libcurl sqlite3 libcrypto libseccomp libgit2 libmicrohttpd
PKG_CFLAGS ?= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libmicrohttpd is not linked: ab-rank --serve loads it when a server
# starts (lib/report/serve.c), by the soname of the library compiled against.
PKG_LIBS ?= $(shell pkg-config --libs $(filter-out libmicrohttpd,$(PKGS)) \
	2>/dev/null)
ifeq ($(origin MHD_SONAME),undefined)
MHD_SONAME := $(shell readelf -d "$$(pkg-config --variable=libdir \
	libmicrohttpd)/libmicrohttpd.so" 2>/dev/null | \
	sed -n 's/.*soname: \[\(.*\)\]$$/\1/p')
endif

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wundef \
	-Wno-unused-parameter
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(PKG_CFLAGS) -pthread
ALL_CPPFLAGS = -D_GNU_SOURCE -Ilib -DAB_VERSION='"$(VERSION)"' \
	-DAB_SHAREDIR='"$(SHAREDIR)"' \
	$(if $(MHD_SONAME),-DAB_MHD_SONAME='"$(MHD_SONAME)"') $(CPPFLAGS)
ALL_LDFLAGS = $(LDFLAGS) -pthread
LIBS = $(PKG_LIBS) -lm -ldl

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

PROGS = ab-gen ab-extract ab-exec ab-score ab-store ab-rank
# The driver over the six stages, a shell script (installed beside them).
SCRIPTS = bin/ab-run
BINS = $(PROGS:%=bin/%)
LIB_SRC = $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ = $(LIB_SRC:.c=.o)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN = $(FUZZ_SRC:.c=)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:.c=)

# Rebuild everything when the compiler or its flags change (for example
# between a plain and a SANITIZE build).
FLAGS_STAMP = lib/.build-flags
FLAGS_NOW = $(CC) $(ALL_CFLAGS) $(ALL_CPPFLAGS) $(ALL_LDFLAGS)
$(shell printf '%s\n' '$(FLAGS_NOW)' | cmp -s - $(FLAGS_STAMP) || \
	printf '%s\n' '$(FLAGS_NOW)' > $(FLAGS_STAMP))

all: $(BINS) $(FUZZ_BIN) $(UNIT_BIN)

lib/libab.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

%.o: %.c $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) $(ALL_CPPFLAGS) -MMD -MP -c -o $@ $<

bin/%: bin/%.o lib/libab.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< lib/libab.a $(LIBS)

# Small drivers of library parts for the shell tests (not installed).
tests/unit/%: tests/unit/%.o lib/libab.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< lib/libab.a $(LIBS)

# Fuzz targets: with clang and FUZZ=1 they are libFuzzer binaries;
# otherwise they link a driver that replays their corpus (tests run it).
ifeq ($(FUZZ),1)
tests/fuzz/fuzz-%: tests/fuzz/fuzz-%.c lib/libab.a
	$(CC) $(ALL_CFLAGS) $(ALL_CPPFLAGS) -fsanitize=fuzzer,address \
		-o $@ $< lib/libab.a $(LIBS)
else
tests/fuzz/fuzz-%: tests/fuzz/fuzz-%.o tests/fuzz/replay.o lib/libab.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.o lib/libab.a $(LIBS)
endif

# Debian packages: build, run time, the analysers, and the test tools.
DEBS = build-essential pkg-config libjansson-dev libcurl4-openssl-dev \
	libsqlite3-dev libssl-dev libseccomp-dev libmicrohttpd-dev jq sqlite3 python3 nodejs \
	bash shellcheck pyflakes3 cppcheck clang python3-scipy chromium \
	parallel hyperfine valgrind procps iproute2 curl time perl groff-base \
	bsdextrautils util-linux coreutils qemu-system-x86 busybox-static \
	xz-utils git wrk libgit2-dev

# Agent CLIs from the npm registry, pinned, into a prefix of ab's own
# (share/ab/agents/*.json name it; the sandbox binds it read-only).
NPM_PREFIX = /var/cache/ab/npm
NPM_AGENTS = @anthropic-ai/claude-code@2.0.30

deps:
	@missing=$$(for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@sh tests/vm/fetch-kernel.sh $(VM_CACHE) || \
		echo "deps: no VM kernel: tests/t3009-cgroup2-vm.sh will skip"
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "deps: no npm: the agent CLI tests will skip"; \
	elif [ ! -x $(NPM_PREFIX)/bin/claude ]; then \
		mkdir -p $(NPM_PREFIX) && npm install -g --prefix $(NPM_PREFIX) \
		    --no-fund --no-audit --omit=optional $(NPM_AGENTS) || \
		echo "deps: npm install failed: the agent CLI tests will skip"; \
	fi

# Debian's kernel for the cgroup v2 test VM (tests/t3009-cgroup2-vm.sh),
# fetched from the Debian archive with apt, not installed.
VM_CACHE ?= /var/cache/ab/vm

vm-kernel:
	sh tests/vm/fetch-kernel.sh $(VM_CACHE)

test: all
	@rm -f tests/out/bin/python3; ulimit -c 0; AB_VALGRIND=$(VALGRIND) AB_VM_CACHE=$(VM_CACHE) prove -f $(TESTS)

TESTS ?= tests/t[0-9]*.sh

# The quick lane for the edit-compile-test loop: every test file but the
# sandbox's (AB_QUICK=1 makes them skip) and the VM and hostile families,
# three files at a time on the two cores (some wait on servers, timers or
# the browser: 3 jobs ended a run in 82-89 s here, 2 jobs in 102 s, 4 in
# 88 s), the slowest files of the last run first (prove's state, .prove)
# so that two slow ones do not end the run alone; each file's time is
# shown; one headless Chromium serves every page of the run
# (tests/with-browser.sh).  make test stays the whole suite.
CHECK_JOBS ?= 3
CHECK_TESTS = $(filter-out tests/t3009-% tests/t31%,$(wildcard tests/t[0-9]*.sh))

check: all
	@rm -f tests/out/bin/python3; ulimit -c 0; AB_QUICK=1 AB_VM_CACHE=$(VM_CACHE) sh tests/with-browser.sh prove -j$(CHECK_JOBS) --timer --state=slow,save $(CHECK_TESTS)

# Proves the tests can fail: each program replaced by a stub that exits 2,
# every test file that exercises it must fail (tests/stub-check.sh).
stub-check: all
	@sh tests/stub-check.sh

bench: all
	@for b in tests/bench/b[0-9]*.sh; do echo "== $$b"; sh $$b || exit 1; done

demo: all
	@sh examples/demo.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(SCRIPTS) $(DESTDIR)$(BINDIR)
	cp -R share/ab/. $(DESTDIR)$(SHAREDIR)
	install -d $(DESTDIR)$(SHAREDIR)/tasks
	install -m 644 tasks/*.ndjson $(DESTDIR)$(SHAREDIR)/tasks
	cp -R configs $(DESTDIR)$(SHAREDIR)/configs
	install -m 644 share/man/man1/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 share/man/man5/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 share/man/man7/*.7 $(DESTDIR)$(MANDIR)/man7

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%) \
		$(SCRIPTS:bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -rf $(DESTDIR)$(SHAREDIR)
	cd share/man && for f in man*/*.[157]; do \
		rm -f $(DESTDIR)$(MANDIR)/$$f; done

clean:
	rm -f $(BINS) bin/*.o bin/*.d lib/*.o lib/*.d lib/*/*.o lib/*/*.d \
		lib/libab.a $(FLAGS_STAMP) $(FUZZ_BIN) tests/fuzz/*.o \
		tests/fuzz/*.d $(UNIT_BIN) tests/unit/*.o tests/unit/*.d
	rm -rf tests/out

.PHONY: all deps vm-kernel test check stub-check bench demo install uninstall \
	clean
.SECONDARY:

-include $(LIB_OBJ:.o=.d) $(BINS:=.d) $(wildcard tests/fuzz/*.d) \
	$(wildcard tests/unit/*.d)
