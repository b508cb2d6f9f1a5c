# Front end to the CMake build. `make` builds, `make test` runs the quick tier,
# `make check` runs everything CI runs (see scripts/test.sh).
BUILD ?= build
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local

.PHONY: all build test check asan fuzz format format-check clean cluster install

all: build

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DRMQ_WERROR=ON

build: $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest -L quick --output-on-failure -j $(JOBS)

check:
	scripts/test.sh

asan:
	cmake -S . -B build-asan -G Ninja -DRMQ_WERROR=ON -DRMQ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	ninja -C build-asan -j $(JOBS)
	cd build-asan && ctest -L quick --output-on-failure -j $(JOBS)

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror

cluster:
	scripts/cluster.sh

# Servers, mqadmin, librocketmq (.so and .a), its headers and rocketmq.pc under PREFIX.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
