#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use (load generator,
# reverse proxy, TLS test certificates, metrics server, a headless browser for
# the dashboard test (chromium), redis-server for the table benchmark and the multi-node tests, and `ip`, `sysctl`,
# `unshare`, `prlimit` for the tests that build a network namespace or set a
# limit: iproute2, procps, util-linux). Idempotent; needs root (CI runs as root).
# Extra package names may be given, for what only a benchmark needs.
set -euo pipefail
packages=(wrk nginx openssl prometheus iproute2 procps util-linux chromium python3-websockets redis-server "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
