# make          build the library (release)
# make test     Rust unit tests + the C test programs
# make demo     build the library and run the example host
# make valgrind the C test programs under valgrind's memcheck
# make lsan     the C test programs built with AddressSanitizer + LeakSanitizer
# make isle.pc  a pkg-config file for hosts: PKG_CONFIG_PATH=. pkg-config --cflags --libs isle
# The library lands in $(CARGO_TARGET_DIR)/release when that is set, else target/release.
CARGO ?= cargo
LIBDIR := $(abspath $(or $(CARGO_TARGET_DIR),target))/release

all: lib

lib:
	$(CARGO) build --release

isle.pc: lib
	@printf 'prefix=%s\nlibdir=%s\nName: isle\nDescription: Isolated interpreters behind the CPython C API\nVersion: 0.1.0\nCflags: -I$${prefix}/include\nLibs: -L$${libdir} -Wl,-rpath,$${libdir} -lisle\n' "$(CURDIR)" "$(LIBDIR)" > $@

test: lib isle.pc
	$(CARGO) test --release --lib -q
	$(MAKE) -C capi-tests run LIBDIR=$(LIBDIR)

valgrind: lib
	$(MAKE) -C capi-tests run VALGRIND=1 LIBDIR=$(LIBDIR)

lsan: lib
	$(MAKE) -C capi-tests asan LIBDIR=$(LIBDIR)

demo: lib
	$(MAKE) -C examples-c run LIBDIR=$(LIBDIR)

bench: lib
	$(MAKE) -C bench run LIBDIR=$(LIBDIR)

clean:
	$(CARGO) clean
	$(MAKE) -C capi-tests clean
	$(MAKE) -C examples-c clean
	rm -f isle.pc

.PHONY: all lib test valgrind lsan demo bench clean isle.pc
