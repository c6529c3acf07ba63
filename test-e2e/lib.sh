#!/usr/bin/env bash
# Shared helpers for the e2e scripts. Source it (". test-e2e/lib.sh"), or run one helper
# directly: "bash test-e2e/lib.sh require_docker 'make image'" (e2e.mk does).
#
# Every require_* check is cheap and exits 1 with ONE line saying what is missing and how to
# get it, so that make e2e fails in a second, before anything slow starts.

# The kind release these scripts are written against (its default node image is Kubernetes 1.32).
E2E_KIND_VERSION=v0.27.0

# fail MESSAGE: print the message on stderr and exit 1.
fail() {
  echo "$*" >&2
  exit 1
}

# run_bounded SECONDS CMD...: run CMD, killed after SECONDS where coreutils timeout exists, so a
# wedged engine cannot hang the check.
run_bounded() {
  local seconds=$1
  shift
  if command -v timeout >/dev/null 2>&1; then
    timeout "$seconds" "$@"
  else
    "$@"
  fi
}

# find_tool NAME OVERRIDE: print the path of NAME, trying OVERRIDE (a path or a command), then
# PATH, then the Go bin folders (go install puts kind there). Prints nothing if not found.
find_tool() {
  local name=$1 override=${2:-} dir
  if [[ -n $override ]]; then
    command -v "$override" 2>/dev/null || true
    return 0
  fi
  if command -v "$name" 2>/dev/null; then
    return 0
  fi
  for dir in "${GOBIN:-}" "${GOPATH:+$GOPATH/bin}" "$HOME/go/bin"; do
    if [[ -n $dir && -x $dir/$name ]]; then
      echo "$dir/$name"
      return 0
    fi
  done
}

# require_docker [WHO]: a docker CLI that reaches a running engine (honours DOCKER_HOST and
# the docker context, as docker itself does).
require_docker() {
  local who=${1:-make e2e} reason line last=""
  if ! command -v docker >/dev/null 2>&1; then
    fail "$who needs a running Docker engine: the docker command is not installed (https://docs.docker.com/engine/install/)."
  fi
  if ! reason=$(run_bounded 20 docker info 2>&1 >/dev/null); then
    while IFS= read -r line; do # docker's last words say why; builtins only
      if [[ $line =~ [^[:space:]] ]]; then
        last=$line
      fi
    done <<<"$reason"
    fail "$who needs a running Docker engine: 'docker info' failed${DOCKER_HOST:+ for DOCKER_HOST=$DOCKER_HOST}${last:+ ($last)}. Start Docker (Docker Desktop, or: sudo systemctl start docker), check DOCKER_HOST and your access to the socket, then retry."
  fi
}

# require_kind: sets KIND to the kind binary ($KIND overrides the lookup).
require_kind() {
  local override=${KIND:-}
  KIND=$(find_tool kind "$override")
  if [[ -n $override && -z $KIND ]]; then
    fail "KIND=$override is not an executable: point it at a kind binary, or unset it to use the one on PATH."
  fi
  if [[ -z $KIND ]]; then
    fail "make e2e needs kind (not on PATH, nor in ~/go/bin): install it with 'go install sigs.k8s.io/kind@$E2E_KIND_VERSION' or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installing-from-release-binaries (or set KIND=/path/to/kind)."
  fi
}

# require_kubectl: sets KUBECTL to the kubectl binary ($KUBECTL overrides the lookup).
require_kubectl() {
  local override=${KUBECTL:-}
  KUBECTL=$(find_tool kubectl "$override")
  if [[ -n $override && -z $KUBECTL ]]; then
    fail "KUBECTL=$override is not an executable: point it at a kubectl binary, or unset it to use the one on PATH."
  fi
  if [[ -z $KUBECTL ]]; then
    fail "make e2e needs kubectl (not on PATH, nor in ~/go/bin): install it as https://kubernetes.io/docs/tasks/tools/#kubectl shows (or set KUBECTL=/path/to/kubectl)."
  fi
}

# require_java_maven: the suite itself runs with Maven on Java 17+.
require_java_maven() {
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    fail "make e2e needs Java 17 and Maven on PATH: install them (e.g. sudo apt-get install openjdk-17-jdk-headless maven, or: brew install openjdk@17 maven)."
  fi
}

# Run directly, call the named helper: bash test-e2e/lib.sh require_docker "make image"
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  "$@"
fi
