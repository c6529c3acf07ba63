#!/usr/bin/env bash
# make e2e-down: delete the Kind cluster make e2e made (KIND_CLUSTER, default
# workflow-operator-e2e). Deleting a cluster that does not exist is not an error.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$ROOT/test-e2e/lib.sh"

CLUSTER=${KIND_CLUSTER:-workflow-operator-e2e}
require_docker "make e2e-down"
require_kind
"$KIND" delete cluster --name "$CLUSTER"
