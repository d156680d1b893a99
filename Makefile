# Backprop: the README's commands live here.
#   make run    install what is missing, build, start the shell
#   make test   install what is missing, run the whole test suite
#   make bench  speed against NumPy, PyTorch and JAX
SWIFT ?= swift

.PHONY: setup run build test bench clean

setup:
	@./scripts/setup.sh

build: setup
	@$(SWIFT) build -c release --product backprop

run: build
	@./.build/release/backprop

test: setup
	$(SWIFT) test

bench: build
	@./Benchmarks/run.sh

clean:
	rm -rf .build
