# stegocloud — see README.md. Every target works on a machine with only Go and make.
GO      ?= go
BIN     := bin/stegocloud
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: all build test vet fmt-check bench fuzz clean

all: build

build: $(BIN)

# The binary is rebuilt whenever any Go file changes.
$(BIN): go.mod go.sum $(shell find . -name '*.go' -not -path './results/*')
	$(GO) build -o $(BIN) ./cmd/stegocloud

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

test: fmt-check vet
	$(GO) test -race -timeout 9m $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./stego/

# Each fuzz target of ./stego/ in turn, for $(FUZZTIME) each.
FUZZ_TARGETS := FuzzReveal FuzzExtract FuzzUnmarshalFrame FuzzRoundTrip

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "== $$t for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) ./stego/ || exit 1; \
	done
	@echo "== FuzzReadFrame for $(FUZZTIME)"
	$(GO) test -run '^$$' -fuzz '^FuzzReadFrame$$' -fuzztime $(FUZZTIME) ./cluster/

clean:
	rm -rf bin
