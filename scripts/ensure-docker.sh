#!/usr/bin/env bash
# Makes sure a Docker engine answers. Installs docker.io (and debootstrap, which the base image build needs)
# from Debian's packages when missing, and starts dockerd in the background when none answers and we are
# allowed to (root, no engine reachable). Exits non-zero with a clear message when no engine can be had.
set -euo pipefail

log() { echo "[ensure-docker] $*" >&2; }

engine_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  log "no Docker engine answers and we are not root: start Docker yourself (or add your user to the docker group)."
  exit 1
fi

need_install=()
command -v dockerd >/dev/null 2>&1 || need_install+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_install+=(debootstrap)
if [ ${#need_install[@]} -gt 0 ]; then
  log "installing ${need_install[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null
fi

if engine_answers; then exit 0; fi

logdir="${NANOCLAW_HOME:-$(cd "$(dirname "$0")/.." && pwd)}/data/logs"
mkdir -p "$logdir"
log "starting dockerd (log: $logdir/dockerd.log)"
# A stale pid file from a killed engine stops a new one from starting.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  rm -f /var/run/docker.pid
fi
setsid nohup dockerd >>"$logdir/dockerd.log" 2>&1 </dev/null &

for _ in $(seq 1 60); do
  if engine_answers; then log "Docker engine is up"; exit 0; fi
  sleep 0.5
done
log "the Docker engine did not answer within 30 s; see $logdir/dockerd.log"
tail -n 20 "$logdir/dockerd.log" >&2 || true
exit 1
