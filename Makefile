# pushwire: `make run` builds and starts a single-box system; `make test` runs the test suite.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

JAVA_HOME := $(shell bin/find-java)
ifeq ($(JAVA_HOME),)
$(error no JDK 25 found: set JAVA_HOME to a JDK 25, or install Temurin 25 under /usr/lib/jvm)
endif
export JAVA_HOME

# Maven is pinned by the wrapper (.mvn/wrapper/maven-wrapper.properties); the pom enforces it.
MVN := ./mvnw -B -ntp
BENCH_ARGS ?=

.PHONY: help build run test slow-test fuzz bench tuning-test clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## compile and collect the runtime libraries (no tests)
	$(MVN) -q -DskipTests package

run: build ## build and start a single-box system on embedded defaults (data under ./data)
	@rc=0; bin/pushwire box || rc=$$?; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 130 ] && [ $$rc -ne 143 ]; then exit $$rc; fi   # Ctrl-C / SIGTERM: an ordered stop

test: ## the fast test suite (unit, integration on loopback, fuzz-input replay, tuning scripts)
	$(MVN) verify
	native-tuning/tests/run.sh

slow-test: ## the long and load tests (tagged slow)
	$(MVN) verify -Dtest.groups=slow -Dtest.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false

fuzz: ## run the Jazzer fuzz tests for real (JAZZER_FUZZ=1), FUZZ_SECONDS each
	JAZZER_FUZZ=1 $(MVN) test -Dtest='*Fuzz*' -Djazzer.max_duration=$${FUZZ_SECONDS:-60}s

bench: ## build and run the JMH benchmarks (BENCH_ARGS passes JMH options, e.g. BENCH_ARGS='-prof gc Codec')
	$(MVN) -q -DskipTests process-test-classes
	$(JAVA_HOME)/bin/java @bin/jvm.options -cp "target/test-classes:target/classes:$$(cat target/test-classpath.txt)" org.openjdk.jmh.Main $(BENCH_ARGS)

tuning-test: ## the native-tuning script tests alone
	native-tuning/tests/run.sh

clean: ## remove build output
	$(MVN) -q clean
