# Backprop: the README's commands live here.
#   make run    install what is missing, build, start the shell
#   make test   install what is missing, run the whole test suite, then run it again
#               under the address sanitizer (what CI runs; .ci/run)
#   make test-fast   the test suite once, without the sanitizer pass
#   make bench  speed against NumPy, PyTorch and JAX
SWIFT ?= swift

.PHONY: setup run build test test-fast bench clean

setup:
	@./scripts/setup.sh

build: setup
	@$(SWIFT) build -c release --product backprop

run: build
	@./.build/release/backprop

test: test-fast test-sanitize

test-fast: setup
	$(SWIFT) test

bench: build
	@./Benchmarks/run.sh

clean:
	rm -rf .build

# Hardening (issue 6; Fuzz/README.md):
#   make fuzz SECONDS=N [TARGET=lines|files|all]   libFuzzer with the address sanitizer,
#                                                   N seconds per target (.build-fuzz)
#   make test-sanitize   the whole test suite under the address sanitizer (.build-asan), then all but
#                        the tmux tests under the thread sanitizer (.build-tsan); part of make test
#   make soak [COMMANDS=N]   100 000 mixed commands in one session; memory at start and end
SECONDS ?= 60
TARGET ?= all
COMMANDS ?= 100000

.PHONY: fuzz test-sanitize soak

fuzz: setup
	@./scripts/fuzz.sh $(TARGET) $(SECONDS)

test-sanitize: setup
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --scratch-path .build-asan -Xswiftc -sanitize=address
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --scratch-path .build-tsan -Xswiftc -sanitize=thread --skip CLITests

soak: setup
	@./scripts/soak.sh $(COMMANDS)
