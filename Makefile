# stegocloud — see README.md. Every target works on a machine with only Go and make.
GO      ?= go
BIN     := bin/stegocloud
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: all build test vet fmt-check bench fuzz experiment compare report clean

all: build

build: $(BIN)

# The binary is rebuilt whenever any Go file changes.
$(BIN): go.mod go.sum $(shell find . -name '*.go' -not -path './results/*')
	$(GO) build -o $(BIN) ./cmd/stegocloud

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './results/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# The race detector slows the recorder ~30×: the tests that skip themselves
# under it (the flat heap of a 1M-request run) run again without it.
NORACE_TESTS := ./harness/record:TestRecorderHeapFlat

test: fmt-check vet
	$(GO) test -race -timeout 9m $(PKGS)
	@for pt in $(NORACE_TESTS); do \
		pkg=$${pt%%:*}; t=$${pt#*:}; \
		echo "$(GO) test -run '^$$t\$$' -v $$pkg   (without -race)"; \
		out=$$($(GO) test -count=1 -run "^$$t\$$" -v $$pkg 2>&1) || { echo "$$out"; exit 1; }; \
		echo "$$out" | grep -E -- '^(--- |ok )'; \
		if ! echo "$$out" | grep -q -- "--- PASS: $$t "; then echo "$$t did not run"; exit 1; fi; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./stego/

# Every fuzz target, as package:Target, each run for $(FUZZTIME): found in the
# test files, so a new target cannot be forgotten here.
FUZZ_TARGETS := $(shell grep -r --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*' . | \
	sed 's|^\(.*\)/[^/]*_test.go:func |\1:|' | sort)

fuzz:
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; t=$${pt#*:}; \
		echo "== $$pkg $$t for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# make experiment NAME=stress10k: run experiments/NAME.yaml into results/NAME/.
experiment: $(BIN)
	@if [ -z "$(NAME)" ]; then \
		echo "usage: make experiment NAME=<name>, one of: $$(cd experiments && ls *.yaml | sed 's/\.yaml$$//' | tr '\n' ' ')"; exit 2; fi
	$(BIN) run experiments/$(NAME).yaml

# make compare A=results/x/RUN B=results/y/RUN [C=…] [D=…] [OUT=file.md]
compare: $(BIN)
	@if [ -z "$(A)" ] || [ -z "$(B)" ]; then \
		echo "usage: make compare A=results/x/RUN B=results/y/RUN [C=…] [D=…] [OUT=file.md]"; exit 2; fi
	$(BIN) compare $(if $(OUT),--out $(OUT)) $(A) $(B) $(C) $(D)

# make report: the design document's results, reports/README.md, from real
# runs. The codec benchmarks go to reports/data/bench.txt when it is missing;
# every experiment reports/sources.yaml declares is run when it has no complete
# run in results/; then the README, data/ and figures/ are regenerated.
# FRESH=1 reruns the benchmarks and every experiment (about 30 minutes on two
# cores). Commit first: each run records the commit it ran ("+dirty" when
# files outside reports/ and results/ differ from it; the benchmarks' header
# below follows the same rule as gitDescribe in harness/rundir/files.go).
REPORT_BENCH ?= ^Benchmark(Embed|EmbedNaive|Extract|ExtractNaive|Pipeline)$$
REPORT_COUNT ?= 10
REPORT_BENCH_OUT := reports/data/bench.txt
report: $(BIN)
	@mkdir -p $(dir $(REPORT_BENCH_OUT))
	@if [ -n "$(FRESH)" ] || [ ! -s $(REPORT_BENCH_OUT) ]; then \
		echo "report: running the codec benchmarks ($(REPORT_COUNT) runs each) into $(REPORT_BENCH_OUT)"; \
		{ echo "commit: $$(git describe --always --abbrev=12 2>/dev/null || echo unknown)$$(git status --porcelain --untracked-files=no -- ':(top)' ':(top,exclude)reports' ':(top,exclude)results' 2>/dev/null | grep -q . && echo +dirty)"; \
		  echo "date: $$(date -u '+%Y-%m-%d %H:%M:%S UTC')"; \
		  $(GO) test -run '^$$' -bench '$(REPORT_BENCH)' -benchmem -count $(REPORT_COUNT) ./stego/; \
		} > $(REPORT_BENCH_OUT).tmp && mv $(REPORT_BENCH_OUT).tmp $(REPORT_BENCH_OUT); \
	else \
		echo "report: $(REPORT_BENCH_OUT) exists; not rerunning the benchmarks (FRESH=1 would)"; \
	fi
	$(BIN) report --design --run $(if $(FRESH),all,missing)

clean:
	rm -rf bin
