# stegocloud — see README.md. Every target works on a machine with only Go and make.
GO      ?= go
BIN     := bin/stegocloud
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: all build test vet fmt-check bench fuzz experiment compare clean

all: build

build: $(BIN)

# The binary is rebuilt whenever any Go file changes.
$(BIN): go.mod go.sum $(shell find . -name '*.go' -not -path './results/*')
	$(GO) build -o $(BIN) ./cmd/stegocloud

fmt-check:
	@out=$$(gofmt -l cmd cluster harness stego); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

test: fmt-check vet
	$(GO) test -race -timeout 9m $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./stego/

# Every fuzz target, as package:Target, each run for $(FUZZTIME).
FUZZ_TARGETS := \
	./stego:FuzzReveal ./stego:FuzzExtract ./stego:FuzzUnmarshalFrame ./stego:FuzzRoundTrip \
	./cluster:FuzzReadFrame ./cluster:FuzzReadEvents \
	./harness:FuzzParseExperiment ./harness:FuzzDecodeHistogram ./harness:FuzzReadSweepIndex

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

clean:
	rm -rf bin
