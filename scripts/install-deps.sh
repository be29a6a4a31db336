#!/usr/bin/env bash
# Installs what the tests and benchmarks need when missing: the servers they start privately
# (PostgreSQL, Redis) and Debian's Chromium for the browser test (never a browser download).
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# The JavaScript client's test runs in Node.js (20.10+ for its WebSocket); the machine image has 20.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The manifest test checks rendered objects against the Kubernetes schemas (kubernetes-models),
# pinned by k8s/validate/package-lock.json. kubectl (for `kubectl kustomize`) ships with the image.
validate=$(cd "$(dirname "$0")/../k8s/validate" && pwd)
# A registry outage fails only the manifest test (clearly), not the whole run.
if [[ ! -d $validate/node_modules ]]; then
  npm ci --prefix "$validate" --no-audit --no-fund --loglevel=error >/dev/null ||
    echo "warning: npm ci in k8s/validate failed; the Kubernetes manifest test will fail" >&2
fi
command -v kubectl >/dev/null || echo "warning: kubectl is missing; the Kubernetes manifest test needs it for 'kubectl kustomize'" >&2
