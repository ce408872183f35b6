#!/usr/bin/env bash
# Creates the kubelab kind cluster (1 control-plane + 2 workers), preloads every image
# the exercises use plus busybox for probe Pods, and writes two kubeconfigs:
#   deploy/kind/kubeconfig           for a kubelab running on this host
#   deploy/kind/kubeconfig.internal  for kubelab in docker compose (on the "kind" network)
# Usage: deploy/kind/create-cluster.sh [cluster-name]   (default: kubelab)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name="${1:-kubelab}"

for tool in kind docker node kubectl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "create-cluster.sh: $tool is required on PATH" >&2; exit 1; }
done

# kindnetd enforces NetworkPolicy (which keeps learners' namespaces apart on the
# network) since kind v0.24.0; an older kind would silently leave them open.
kind_version="$(kind version | sed -nE 's/^kind v([0-9]+)\.([0-9]+).*/\1 \2/p')"
read -r kind_major kind_minor <<<"${kind_version:-0 0}"
if [ "$kind_major" -eq 0 ] && [ "$kind_minor" -lt 24 ]; then
  echo "create-cluster.sh: kind v0.24.0 or newer is needed (NetworkPolicy enforcement); found: $(kind version)" >&2
  exit 1
fi

if kind get clusters 2>/dev/null | grep -qx "$name"; then
  echo "kind cluster \"$name\" already exists; reusing it"
else
  kind create cluster --name "$name" --config "$here/cluster.yaml" --wait 120s
fi

# Read the image list with the project's catalog loader (validates exercise.yaml too).
mapfile -t images < <(cd "$root" && node --import tsx "$here/images.ts" "$root/exercises")
if [ "${#images[@]}" -eq 0 ]; then
  echo "create-cluster.sh: no images found in $root/exercises" >&2
  exit 1
fi

for image in "${images[@]}"; do
  echo "== $image"
  docker pull "$image"
  kind load docker-image --name "$name" "$image"
done

# The portal terminal's workspace image (a shell, curl, DNS tools and kubectl) is
# kubelab's own: build it here and load it like the others.
workspace_image="kubelab/workspace:0.1.0"
echo "== $workspace_image"
docker build -t "$workspace_image" "$root/deploy/workspace"
kind load docker-image --name "$name" "$workspace_image"

kind get kubeconfig --name "$name" > "$here/kubeconfig"
kind get kubeconfig --name "$name" --internal > "$here/kubeconfig.internal"
chmod 600 "$here/kubeconfig" "$here/kubeconfig.internal"

kubectl --kubeconfig "$here/kubeconfig" get nodes
learner_server="$(kubectl --kubeconfig "$here/kubeconfig" config view --minify -o jsonpath='{.clusters[0].cluster.server}')"

cat <<MSG

kind cluster "$name" is ready with ${#images[@]} images preloaded.
  kubelab on this host:     KUBELAB_CLUSTER=kubeconfig KUBECONFIG=$here/kubeconfig npm start
  kubelab in docker compose:
    export KUBELAB_ADMIN_TOKEN=\$(openssl rand -hex 32)
    export KUBELAB_LEARNER_API_SERVER=$learner_server
    docker compose up --build   (mounts $here/kubeconfig.internal)
MSG
