#!/usr/bin/env bash
# Builds the agent base image from Debian packages with debootstrap: no image registry is needed or contacted.
# Reused when present (pass --force to rebuild). The image holds only Debian packages; the Java runtime and the
# runner are added by the agent image (Dockerfile.agent).
set -euo pipefail

BASE_IMAGE="${NANOCLAW_BASE_IMAGE:-nanoclaw-base:bookworm}"
SUITE=bookworm
PACKAGES="tini bash coreutils git curl ca-certificates ripgrep"
log() { echo "[base-image] $*" >&2; }

if [ "${1:-}" != "--force" ] && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "$BASE_IMAGE present, reusing it"
  exit 0
fi

# The mirror is the one this machine's apt already uses (deb822 or one-line sources).
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v security | awk '{print $2}' | head -n1 || true)
fi
mirror="${NANOCLAW_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}"

command -v debootstrap >/dev/null 2>&1 || { log "debootstrap is missing: run scripts/ensure-docker.sh (it installs it)"; exit 1; }

rootfs=$(mktemp -d /tmp/nanoclaw-rootfs.XXXXXX)
trap 'umount "$rootfs/proc" 2>/dev/null || true; rm -rf "$rootfs"' EXIT
log "debootstrap $SUITE from $mirror (about a minute)"
debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >/tmp/nanoclaw-debootstrap.log 2>&1 || {
  tail -n 30 /tmp/nanoclaw-debootstrap.log >&2; exit 1; }

log "installing $PACKAGES"
# apt and debconf chatter (no apt-utils, no dialog frontend) goes to the log; it is shown only when apt fails.
apt_log=/tmp/nanoclaw-base-apt.log
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes \
  apt-get install -y -qq --no-install-recommends $PACKAGES >"$apt_log" 2>&1 || {
  tail -n 30 "$apt_log" >&2; log "apt-get install failed (log: $apt_log)"; exit 1; }
umount "$rootfs/proc"
chroot "$rootfs" apt-get clean >>"$apt_log" 2>&1
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
       "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*

log "importing as $BASE_IMAGE"
tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE_IMAGE" >/dev/null
log "done: $(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
