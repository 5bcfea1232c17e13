# Fengqiao — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
PKGS    ?= ./...
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run test test-cluster test-short lint build bench bench-quick soak up down clean cluster cluster-down cluster-status
BENCH_FLAGS ?=

## run: everything in one process on embedded defaults (Temporal, SQLite, worker, web, demo data)
run:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/fengqiao dev

## test: vet, gofmt check and every test (PostgreSQL too when FENGQIAO_TEST_POSTGRES is set); then, when
## FENGQIAO_TEST_CLUSTER_PASS=1, the API stories and reliability suites once more on a
## make cluster of their own (test-cluster)
test: lint
	$(GO) test -race -timeout 25m -count=1 $(PKGS)
	@if [ "$${FENGQIAO_TEST_CLUSTER_PASS:-0}" != 0 ]; then $(MAKE) --no-print-directory test-cluster; fi

## test-cluster: the cluster pass alone (needs PostgreSQL; builds the Temporal server once, cached)
test-cluster:
	GO=$(GO) deploy/cluster/testpass.sh

## test-short: the tests without -race, for a quick loop
test-short:
	$(GO) test -count=1 $(PKGS)

## lint: go vet and a gofmt check
lint:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## build: the fengqiao binary in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/fengqiao ./cmd/fengqiao

## bench: Fengqiao against the bare engine and database, side by side (≤ 20 min on 2 cores; BENCHMARKS.md)
bench:
	$(GO) run ./cmd/bench $(BENCH_FLAGS)

## bench-quick: the same at small sizes (a few minutes)
bench-quick:
	$(GO) run ./cmd/bench -quick $(BENCH_FLAGS)

## soak: the reliability suites at full size (kills, split processes, a PostgreSQL outage) and 5 min per fuzz target
soak:
	FENGQIAO_SOAK=1 $(GO) test -count=1 -timeout 60m -v ./reliability/...
	$(GO) test -run '^$$' -fuzz '^FuzzOpenRequestValidate$$' -fuzztime 5m ./reliability/fuzz/
	$(GO) test -run '^$$' -fuzz '^FuzzValidIDNumber$$' -fuzztime 5m .
	$(GO) test -run '^$$' -fuzz '^FuzzParsePolicy$$' -fuzztime 5m ./deadline/
	$(GO) test -run '^$$' -fuzz '^FuzzParseDuration$$' -fuzztime 5m ./deadline/
	$(GO) test -run '^$$' -fuzz '^FuzzParseCalendar$$' -fuzztime 5m ./deadline/
	$(GO) test -run '^$$' -fuzz '^FuzzParseNodesCSV$$' -fuzztime 5m ./store/
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime 5m ./secret/

## cluster: the production topology on this machine without Docker (README "A real cluster"): the upstream
## Temporal server (frontend, history, matching, worker as separate processes) on PostgreSQL, two serve
## behind nginx, two worker; variables in deploy/cluster.env
cluster:
	deploy/cluster/cluster.sh up

## cluster-down: stop what make cluster started
cluster-down:
	deploy/cluster/cluster.sh down

cluster-status:
	deploy/cluster/cluster.sh status

## up: the production topology with docker compose (PostgreSQL, Temporal, its UI, serve, worker)
up:
	docker compose up --build

down:
	docker compose down

clean:
	rm -rf bin .fengqiao
