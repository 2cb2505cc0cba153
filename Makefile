# make          build the library (release)
# make test     Rust unit tests + the C test programs
# make demo     build the library and run the example host
# make valgrind the C test programs under valgrind's memcheck
CARGO ?= cargo
LIBDIR := target/release

all: lib

lib:
	$(CARGO) build --release

isle.pc: lib
	@printf 'prefix=%s\nName: isle\nDescription: Isolated interpreters behind the CPython C API\nVersion: 0.1.0\nCflags: -I$${prefix}/include\nLibs: -L$${prefix}/$(LIBDIR) -Wl,-rpath,$${prefix}/$(LIBDIR) -lisle\n' "$(CURDIR)" > $@

test: lib isle.pc
	$(CARGO) test --release --lib -q
	$(MAKE) -C capi-tests run

valgrind: lib
	$(MAKE) -C capi-tests run VALGRIND=1

demo: lib
	$(MAKE) -C examples-c run

bench: lib
	$(MAKE) -C bench run

clean:
	$(CARGO) clean
	$(MAKE) -C capi-tests clean
	rm -f isle.pc

.PHONY: all lib test valgrind demo bench clean
