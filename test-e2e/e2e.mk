# The operator on a real cluster: image, e2e, e2e-down. Included by the top Makefile
# ("include test-e2e/e2e.mk"), which defines MVN, JAR and the build target.
# Needs Docker, kind and kubectl; each check fails in a second with one line saying what to install.

# This file's folder, however make was started (make -C, make -f).
E2E_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
IMAGE ?= workflow-operator:dev

.PHONY: image e2e e2e-down

image: ## build the operator image (IMAGE=workflow-operator:dev); needs Docker
	@bash $(E2E_DIR)/lib.sh require_docker "make image"
	@$(MAKE) --no-print-directory build
	docker build -t $(IMAGE) .

e2e: ## run the scenario suite on Kind with the operator deployed (KIND_CLUSTER=workflow-operator-e2e)
	MVN="$(MVN)" bash $(E2E_DIR)/e2e.sh

e2e-down: ## delete the Kind cluster made by make e2e
	bash $(E2E_DIR)/e2e-down.sh
