#!/usr/bin/env bash
# make e2e: the shared scenario suite (KindE2ETest) against the operator deployed from deploy/
# into a Kind cluster: real API server, real Jobs and pods, the operator restarted by deleting
# its pod.
#
#   KIND_CLUSTER     cluster name (default workflow-operator-e2e); created if missing and kept
#                    afterwards for inspection and fast reruns (make e2e-down deletes it)
#   KIND_NODE_IMAGE  node image for a new cluster (default: kind's own, e.g. kindest/node:v1.32.2)
#   KIND, KUBECTL    paths to the binaries, if not on PATH or in ~/go/bin
#   MVN              the Maven command (default: mvn -B -ntp)
#
# Every command targets the context kind-$KIND_CLUSTER through a private kubeconfig, never
# whatever context is current in ~/.kube/config.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=SCRIPTDIR/lib.sh
source "$ROOT/test-e2e/lib.sh"

CLUSTER=${KIND_CLUSTER:-workflow-operator-e2e}
CONTEXT=kind-$CLUSTER
IMAGE=workflow-operator:dev # the tag deploy/deployment.yaml runs (imagePullPolicy IfNotPresent)
STEP_IMAGE=busybox:1.36     # what the scenarios' steps run
NS=workflow-operator
read -r -a MVN_CMD <<<"${MVN:-mvn -B -ntp}"

# 1. Cheap checks first: a missing engine or tool is one clear line, not a half-made cluster.
require_docker "make e2e"
require_kind
require_kubectl
require_java_maven

WORK=$(mktemp -d "${TMPDIR:-/tmp}/workflow-operator-e2e.XXXXXX")
KCFG=$WORK/kubeconfig
STAGE="creating the Kind cluster"

step() { printf '\n==> %s\n' "$*"; }
kc() { "$KUBECTL" --kubeconfig "$KCFG" --context "$CONTEXT" "$@"; }

# What a person needs to see when anything fails once the cluster exists. Each call is bounded,
# so an unreachable API server cannot hang the report.
kd() { kc --request-timeout=20s "$@"; }
diagnostics() {
  step "operator logs: kubectl -n $NS logs deploy/workflow-operator --tail=200"
  kd -n "$NS" logs deploy/workflow-operator --tail=200 || true
  local previous
  if previous=$(kd -n "$NS" logs deploy/workflow-operator --previous --tail=200 2>/dev/null) \
      && [[ -n $previous ]]; then
    step "operator logs before its last restart (--previous)"
    printf '%s\n' "$previous"
  fi
  step "kubectl get deploy,pods -n $NS -o wide"
  kd -n "$NS" get deploy,pods -o wide || true
  step "kubectl get wf,jobs,pods -A -o wide"
  kd get wf,jobs,pods -A -o wide || true
  step "recent events: kubectl get events -A --sort-by=.lastTimestamp | tail -50"
  kd get events -A --sort-by=.lastTimestamp | tail -50 || true
}

on_exit() {
  local rc=$?
  trap - EXIT
  if ((rc != 0)) && [[ -s $KCFG ]]; then
    diagnostics
  fi
  if ((rc != 0)); then
    printf '\nmake e2e FAILED (exit %s) while %s.\n' "$rc" "$STAGE" >&2
    if [[ $STAGE == "running the scenario suite" ]]; then
      echo "Test reports: $ROOT/target/surefire-reports/ (KindE2ETest)." >&2
    fi
    if [[ -s $KCFG ]]; then
      echo "The cluster is kept for inspection (kubectl --context $CONTEXT ...); make e2e-down deletes it." >&2
    fi
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap on_exit EXIT

# 2. The cluster: reuse it if it exists (fast reruns), else create it.
clusters=$("$KIND" get clusters 2>/dev/null || true)
if grep -qx -- "$CLUSTER" <<<"$clusters"; then
  step "Kind cluster $CLUSTER exists: reusing it"
else
  step "creating Kind cluster $CLUSTER"
  create=(create cluster --name "$CLUSTER" --wait 120s)
  if [[ -n ${KIND_NODE_IMAGE:-} ]]; then
    create+=(--image "$KIND_NODE_IMAGE")
  fi
  "$KIND" "${create[@]}"
fi
"$KIND" get kubeconfig --name "$CLUSTER" >"$KCFG"
export KUBECONFIG=$KCFG # for the Java suite: its current context is now kind-$CLUSTER
kc cluster-info >/dev/null

# 3. The operator image, built here and loaded into the nodes (no registry involved).
STAGE="building the operator image"
step "building $IMAGE"
make -C "$ROOT" --no-print-directory image IMAGE="$IMAGE" MVN="${MVN_CMD[*]}"
STAGE="loading images into Kind"
step "loading $IMAGE into $CLUSTER"
"$KIND" load docker-image "$IMAGE" --name "$CLUSTER"
# Best effort: preloaded, the steps' image cannot be slowed down or rate-limited by a registry.
if docker image inspect "$STEP_IMAGE" >/dev/null 2>&1 || docker pull -q "$STEP_IMAGE" >/dev/null 2>&1; then
  "$KIND" load docker-image "$STEP_IMAGE" --name "$CLUSTER" >/dev/null 2>&1 \
    || echo "note: could not preload $STEP_IMAGE; the nodes will pull it themselves"
fi

# 4. CRD, then the operator.
STAGE="installing the CRD and the operator"
step "installing crd/workflow.yaml"
kc apply -f crd/workflow.yaml
kc wait --for=condition=Established --timeout=60s -f crd/workflow.yaml
existed=false
if kc -n "$NS" get deployment/workflow-operator >/dev/null 2>&1; then
  existed=true
fi
step "deploying the operator (kubectl apply -k deploy/)"
kc apply -k deploy/
# An interrupted run may have left it scaled to 0 or 2; apply does not reset a field it did
# not change, so say it.
kc -n "$NS" scale deployment/workflow-operator --replicas=1
if [[ $existed == true ]]; then
  # Same tag, new image: only a new pod picks it up.
  kc -n "$NS" rollout restart deployment/workflow-operator
fi
kc -n "$NS" rollout status deployment/workflow-operator --timeout=180s
# Namespaces an interrupted run left behind (the suite labels every namespace it makes).
kc delete namespace -l workflow-operator-test=true --wait=false --ignore-not-found >/dev/null

# 5. The suite: ScenarioSuite's scenarios, through KindE2ETest, against this context.
STAGE="running the scenario suite"
step "KindE2ETest against context $CONTEXT"
"${MVN_CMD[@]}" test -De2e=true -Dtest=KindE2ETest -Dsurefire.failIfNoSpecifiedTests=false

step "make e2e passed. The cluster stays up: kubectl --context $CONTEXT get wf -A; make e2e-down deletes it."
