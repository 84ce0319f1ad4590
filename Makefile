# ShiftStack — build, test and demo entry points.
# `make test` and `make demo` work on a fresh Debian 12 machine: they install and start what they need.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Debug
RESULTS := artifacts/test-results

.PHONY: build test unit-test long-test fresh-test demo openstack-up openstack-down clean bench bench-build bench-aot bench-offline bench-throughput bench-cloud \
	aot install uninstall release tool-package docs-plan

build:
	$(DOTNET) build ShiftStack.slnx -c $(CONFIG) -warnaserror -nologo -clp:NoSummary

# The native AOT binary: one file, no .NET runtime needed to run it (building it needs the SDK and a C toolchain:
# clang, or gcc, and zlib1g-dev on Debian). RID: linux-x64 or linux-arm64, this machine's by default.
PREFIX ?= /usr/local
DESTDIR ?=
RID ?= linux-$(subst aarch64,arm64,$(subst x86_64,x64,$(shell uname -m)))
AOT_DIR := artifacts/aot/$(RID)
RELEASE_DIR := artifacts/release

aot:
	@mkdir -p artifacts
	@$(DOTNET) publish src/ShiftStack.Cli/ShiftStack.Cli.csproj -c Release -r $(RID) -p:PublishAot=true -o $(AOT_DIR) \
	    -nologo -v q "-clp:ErrorsOnly;NoSummary" > artifacts/aot-publish.log 2>&1 \
	  || { cat artifacts/aot-publish.log >&2; echo "make aot: the native AOT publish failed (log: artifacts/aot-publish.log)" >&2; exit 1; }
	@echo "built $(AOT_DIR)/shiftstack ($$($(AOT_DIR)/shiftstack version | head -n1))"

# Installs the binary as $(DESTDIR)$(PREFIX)/bin/shiftstack and its bash, zsh and fish completions.
install: aot
	install -D -m 0755 $(AOT_DIR)/shiftstack $(DESTDIR)$(PREFIX)/bin/shiftstack
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(AOT_DIR)/shiftstack completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/shiftstack
	$(AOT_DIR)/shiftstack completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_shiftstack
	$(AOT_DIR)/shiftstack completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/shiftstack.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/shiftstack $(DESTDIR)$(PREFIX)/share/bash-completion/completions/shiftstack \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_shiftstack $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/shiftstack.fish

# artifacts/release/shiftstack-<version>-<rid> (the native binary) and its .sha256 (check: sha256sum -c FILE.sha256).
release: aot
	@set -e; version=$$($(AOT_DIR)/shiftstack version -o json | sed -n 's/^ *"version": "\(.*\)",*$$/\1/p'); \
	  name=shiftstack-$$version-$(RID); mkdir -p $(RELEASE_DIR); \
	  cp $(AOT_DIR)/shiftstack $(RELEASE_DIR)/$$name; \
	  (cd $(RELEASE_DIR) && sha256sum $$name > $$name.sha256); \
	  echo "$(RELEASE_DIR)/$$name"; cat $(RELEASE_DIR)/$$name.sha256

# A dotnet tool package for .NET users (dotnet tool install --global --add-source artifacts/release ShiftStack.Cli).
tool-package:
	$(DOTNET) pack src/ShiftStack.Cli/ShiftStack.Cli.csproj -c Release -p:PackAsTool=true -o $(RELEASE_DIR) -nologo -v q "-clp:ErrorsOnly;NoSummary"
	@ls $(RELEASE_DIR)/*.nupkg

# All tests: unit tests, then integration tests against a real local Keystone + Neutron (+ Nova) that
# hack/openstack-up installs and starts on loopback.
test: build openstack-up
	@rm -rf $(RESULTS)
	@set +e; $(DOTNET) test ShiftStack.slnx -c $(CONFIG) --no-build --nologo \
	    --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS); rc=$$?; \
	  hack/test-summary $(RESULTS); exit $$rc

# docs/plan-example.{dot,mmd,svg}: the plan of tests/ShiftStack.Cli.Tests/PlanGraphTests.cs (built offline) as
# 'create cluster --plan -o dot|mermaid' draws it, rendered by Graphviz (apt-get install graphviz).
docs-plan: build
	UPDATE_DOCS=1 $(DOTNET) test tests/ShiftStack.Cli.Tests -c $(CONFIG) --no-build --nologo \
	    --filter "FullyQualifiedName~PlanGraphTests.The_rendered_example_in_docs_is_this_plan"
	dot -Tsvg docs/plan-example.dot -o docs/plan-example.svg

# Unit tests only (no cloud needed).
unit-test: build
	@rm -rf $(RESULTS)
	@set +e; $(DOTNET) test ShiftStack.slnx -c $(CONFIG) --no-build --nologo --filter "Category!=Integration" \
	    --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS); rc=$$?; \
	  hack/test-summary $(RESULTS); exit $$rc

# The long variants of the reliability tests (README, "Reliability tests"): fuzzing for SHIFTSTACK_FUZZ_SECONDS (300)
# and crash-and-resume at every request of a create cluster run (about an hour against the local cloud).
long-test: build openstack-up
	SHIFTSTACK_LONG_TESTS=1 $(DOTNET) test ShiftStack.slnx -c $(CONFIG) --no-build --nologo \
	    --filter "FullyQualifiedName~FuzzTests|FullyQualifiedName~CrashResumeTests" --logger "console;verbosity=normal"

# The README's set-up proven on a fresh Debian 12 root in its own namespaces (hack/fresh-test): a minimal debootstrap
# root, hack/openstack-up --compute, its smoke test and `make demo` inside, everything torn down afterwards.
fresh-test:
	hack/fresh-test

# The main job against a real local OpenStack it starts itself (see hack/demo), after validating the examples
# (./shiftstack builds the CLI when its sources changed).
demo:
	@for d in examples/*/; do ./shiftstack validate --dir "$$d" --offline || exit 1; done
	hack/demo

# Keystone + Neutron + Nova (fake virt driver) + Glance + Placement + Open vSwitch, all on loopback.
openstack-up:
	hack/openstack-up --compute

openstack-down:
	hack/openstack-down

# Benchmarks (bench/README.md): measured, never asserted, never part of `make test`. Results go to bench/results/.
BENCH_DLL := bench/ShiftStack.Bench/bin/Release/net10.0/ShiftStack.Bench.dll
ROUNDS ?= 3
RUNS ?= 7

bench: bench-offline bench-throughput bench-cloud

bench-build:
	$(DOTNET) build bench/ShiftStack.Bench/ShiftStack.Bench.csproj -c Release -warnaserror -nologo -clp:NoSummary
	$(DOTNET) publish src/ShiftStack.Cli/ShiftStack.Cli.csproj -c Release -o artifacts/bench/cli -nologo -v q -clp:NoSummary

# Native AOT CLI; a failed publish is recorded (artifacts/bench/aot-publish.log, bench/results/offline.json), not fatal.
bench-aot:
	@mkdir -p artifacts/bench && rm -rf artifacts/bench/aot
	@$(DOTNET) publish src/ShiftStack.Cli/ShiftStack.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true \
	    -o artifacts/bench/aot -nologo > artifacts/bench/aot-publish.log 2>&1 \
	  && echo "native AOT: artifacts/bench/aot/shiftstack" \
	  || echo "native AOT publish failed: see artifacts/bench/aot-publish.log"

# Cold start of validate --offline / create manifests --offline (JIT and native AOT), examples + 1,000 workers.
bench-offline: bench-build bench-aot
	$(DOTNET) $(BENCH_DLL) offline --runs $(RUNS)

# In-process throughput with BenchmarkDotNet (load, validate, manifests; ratios against parsing alone).
bench-throughput: bench-build
	$(DOTNET) $(BENCH_DLL) throughput

# Against the local OpenStack (started here; idempotent): provisioning vs the manual path, pre-flight, scale.
bench-cloud: bench-build openstack-up
	$(DOTNET) $(BENCH_DLL) cloud --rounds $(ROUNDS) --runs 5 --ports 100

clean:
	$(DOTNET) clean ShiftStack.slnx -nologo -v q
	rm -rf artifacts .local/cli
