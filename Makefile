# Portcullis developer commands. `make run` and `make test` are the two a
# newcomer needs; the others are for working on the framework.
GO ?= go
FUZZTIME ?= 3s

.PHONY: run test vet unit reflect fuzz bench lint openapi

## run: start example-app on its embedded SQLite store (Swagger UI at /docs)
run:
	$(GO) run ./example-app

## test: vet, the whole suite with the race detector, the framework again
## without its fast paths, then a short fuzz pass
test: vet unit reflect fuzz

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 -timeout 20m ./...

## reflect: the framework's and the guides' tests in a build that calls
## every function through reflect (-tags portcullis_reflect)
reflect:
	$(GO) test -count=1 -tags portcullis_reflect ./framework/... ./docs/...

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
		for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
			echo "fuzz $$pkg $$t"; \
			out=$$(mktemp); \
			if ! $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg >$$out 2>&1; then \
				cat $$out; \
				echo "fuzz $$t failed; running it again: a finding is saved under testdata and fails again"; \
				$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
				echo "warning: $$t passed on the second run, so the failure above is no reproducible finding"; \
			fi; \
			rm -f $$out; \
		done; \
	done

## bench: the framework and security benchmarks against their plain-gin baselines
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./framework/ ./security/...

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

## openapi: regenerate the golden copy of example-app's document
openapi:
	$(GO) test ./example-app/ -run TestOpenAPIGolden -update
