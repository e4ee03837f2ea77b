# cppbatch — the two commands a new user runs:
#   make demo   installs what is missing, builds, runs the settlement demo
#   make test   installs what is missing, builds, runs every test
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
DEMO_DATE  ?= $(shell date +%F)
CMAKE_ARGS ?=
# ccache, when installed, makes rebuilds in several build trees cheap.
LAUNCHER   := $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all deps configure build demo test bench sanitize tsan format clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Runs the settlement job for today in a fresh working directory
# ($(BUILD)/demo), then shows what the repository recorded.
demo: build
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo
	@cd $(BUILD)/demo && ../cppbatch run settlementJob date=$(DEMO_DATE),date
	@echo
	@cat $(BUILD)/demo/settlement-report-$(DEMO_DATE).txt
	@echo
	@echo "== Dead letters: the transactions settle skipped (the first 8 of them)"
	@cd $(BUILD)/demo && ../cppbatch dlq list --job settlementJob --limit 8
	@echo
	@echo "== The operator publishes a fee schedule with a prepaid tariff and retries the dead letters"
	@printf '# card type, per mille of the amount, fixed cents\ndebit 14 25\ncredit 29 30\nprepaid 19 20\n' \
	    > $(BUILD)/demo/fee-schedule.txt
	@cd $(BUILD)/demo && ../cppbatch --log-level warn dlq retry --job settlementJob
	@echo
	@echo "== Retried once more: the malformed ones fail a second time and are parked"
	@cd $(BUILD)/demo && ../cppbatch --log-level warn dlq retry --job settlementJob
	@cd $(BUILD)/demo && ../cppbatch dlq list --job settlementJob --status PARKED --limit 5
	@echo
	@cd $(BUILD)/demo && ../cppbatch executions
	@echo
	@echo "Try it again (refused: already complete):  cd $(BUILD)/demo && ../cppbatch run settlementJob date=$(DEMO_DATE),date"

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

bench: configure
	@cmake --build $(BUILD) -j $(JOBS)
	@for b in $(BUILD)/bench/*_bench; do echo "== $$b"; $$b || exit 1; done

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize:
	@$(MAKE) test BUILD=build-asan CMAKE_ARGS="-DCPPBATCH_SANITIZE=ON -DCPPBATCH_BUILD_BENCH=OFF"

# The whole suite under ThreadSanitizer.
tsan:
	@$(MAKE) test BUILD=build-tsan CMAKE_ARGS="-DCPPBATCH_TSAN=ON -DCPPBATCH_BUILD_BENCH=OFF"

clean:
	@rm -rf $(BUILD) build-asan build-tsan
