# workflow-operator: every command a user or CI needs. Only Java 17 and Maven are required for
# build/test/demo/lint; run/e2e need a cluster (and Docker + kind for e2e).
SHELL := /bin/bash
MVN ?= mvn -B -ntp
JAR := target/workflow-operator.jar
ARGS ?=
KEEP ?=

.PHONY: help build test demo bench bench-scale run install-crd lint crd

help: ## list targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: $(JAR) ## build the runnable jar (target/workflow-operator.jar)

$(JAR): pom.xml crd/workflow.yaml $(shell find src/main -type f)
	$(MVN) -q -DskipTests package

test: ## run every test (unit, property, CRD/CEL, manifests, in-process scenarios); ends with what was skipped and why
	$(MVN) test; status=$$?; \
	  skips=$$(cat target/test-skips/*.txt 2>/dev/null | sort -k4); \
	  if [ -n "$$skips" ]; then printf '\nSkipped, and why:\n%s\n' "$$skips"; fi; exit $$status

demo: ## run the real operator on a SIMULATED cluster (no Docker) and watch examples/ run; KEEP=1 keeps it up 10 min for the web view
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
	java -Ddemo.keep=$(KEEP) -cp "target/test-classes:target/classes:$$(cat target/test.classpath)" com.crd.workflow.demo.Demo $(FILES)

bench: ## time a tick's planning, the layout of the largest DAG, and weigh the mirror (prints numbers)
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
	java -cp "target/test-classes:target/classes:$$(cat target/test.classpath)" com.crd.workflow.bench.PlannerBench
	java -cp "target/test-classes:target/classes:$$(cat target/test.classpath)" com.crd.workflow.bench.LayoutBench
	java -Xmx2g -cp "target/test-classes:target/classes:$$(cat target/test.classpath)" com.crd.workflow.bench.MirrorFootprint 10000

N ?= 1000,10000
bench-scale: build ## the operator jar against N converged workflows x 10 steps (N=10000): CPU, LISTs, reaction, memory
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
	java -Xmx8g -Dsun.net.httpserver.nodelay=true -cp "target/test-classes:target/classes:$$(cat target/test.classpath)" com.crd.workflow.bench.ScaleBench $(N)

crd: ## regenerate the Container/PodSpec schema parts of crd/workflow.yaml from client-java's models
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
	java -cp "target/test-classes:target/classes:$$(cat target/test.classpath)" com.crd.workflow.crd.CrdSchemas crd/workflow.yaml

install-crd: ## apply the Workflow CRD to the current kube context
	kubectl apply -f crd/workflow.yaml

run: build ## run the operator against the current kube context (ARGS="--namespaces a,b" ...)
	java -jar $(JAR) run $(ARGS)

include test-e2e/e2e.mk

lint: build ## validate Workflow manifests offline (FILES="my.yaml"; default: examples/)
	java -jar $(JAR) lint $(or $(FILES),$(wildcard examples/*.yaml))
