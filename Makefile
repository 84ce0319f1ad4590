# ShiftStack — build, test and demo entry points.
# `make test` and `make demo` work on a fresh Debian 12 machine: they install and start what they need.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Debug
RESULTS := artifacts/test-results

.PHONY: build test unit-test demo openstack-up openstack-down clean

build:
	$(DOTNET) build ShiftStack.slnx -c $(CONFIG) -warnaserror -nologo -clp:NoSummary

# All tests: unit tests, then integration tests against a real local Keystone + Neutron (+ Nova) that
# hack/openstack-up installs and starts on loopback.
test: build openstack-up
	@rm -rf $(RESULTS)
	@set +e; $(DOTNET) test ShiftStack.slnx -c $(CONFIG) --no-build --nologo \
	    --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS); rc=$$?; \
	  hack/test-summary $(RESULTS); exit $$rc

# Unit tests only (no cloud needed).
unit-test: build
	@rm -rf $(RESULTS)
	@set +e; $(DOTNET) test ShiftStack.slnx -c $(CONFIG) --no-build --nologo --filter "Category!=Integration" \
	    --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS); rc=$$?; \
	  hack/test-summary $(RESULTS); exit $$rc

# The main job against a real local OpenStack it starts itself (see hack/demo), after validating the examples.
demo: build
	@for d in examples/*/; do ./shiftstack validate --dir "$$d" --offline || exit 1; done
	hack/demo

# Keystone + Neutron + Nova (fake virt driver) + Glance + Placement + Open vSwitch, all on loopback.
openstack-up:
	hack/openstack-up --compute

openstack-down:
	hack/openstack-down

clean:
	$(DOTNET) clean ShiftStack.slnx -nologo -v q
	rm -rf artifacts .local/cli
