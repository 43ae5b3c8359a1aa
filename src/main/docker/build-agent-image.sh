#!/usr/bin/env bash
# Builds the agent container image ($CONTAINER_IMAGE, default nanoclaw-agent:latest) from the local Debian base
# (build-base-image.sh), offline: no registry is contacted and nothing is pulled.
#
# What goes in: a jlinked Java runtime made from this machine's JDK (one that ships jmods/, e.g. OpenJDK 17) with
# its base CDS archive, the agent-runner jars, sqlite-jdbc's native library pre-extracted, the launcher
# /app/bin/agent-runner, and an AppCDS archive made by a training run of `agent-runner --selftest` in the build.
#
# Rebuilds only when needed: a hash of the inputs (runner jars, Dockerfile, launcher, this script, base image id,
# JDK version) is stored as the image label nanoclaw.inputs; when the image already carries it the script says
# "image up to date" and exits 0. --force rebuilds anyway.
#
# Usage: src/main/docker/build-agent-image.sh [--force]
# Env:   CONTAINER_IMAGE          image to build (default nanoclaw-agent:latest)
#        NANOCLAW_BASE_IMAGE      base image (default nanoclaw-base:bookworm; built when missing)
#        NANOCLAW_RUNNER_TARGET   folder holding agent-runner.jar and lib/ (default agent-runner/target)
#        NANOCLAW_JLINK_JDK       JDK to jlink from (default: JAVA_HOME or `java` on PATH, if it has jmods/)
#        NANOCLAW_JLINK_EXTRA_MODULES  comma-separated modules to add to the runtime
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
IMAGE="${CONTAINER_IMAGE:-nanoclaw-agent:latest}"
BASE_IMAGE="${NANOCLAW_BASE_IMAGE:-nanoclaw-base:bookworm}"
RUNNER_TARGET="${NANOCLAW_RUNNER_TARGET:-$root/agent-runner/target}"
EXTRA_MODULES="${NANOCLAW_JLINK_EXTRA_MODULES:-}"
# Always added: TLS with EC keys (most model API endpoints) and sun.misc.Unsafe for libraries that probe for it.
ALWAYS_MODULES="jdk.crypto.ec,jdk.unsupported"
# Dropped unless our own jars use them: jackson-databind only `requires static java.desktop` (java.beans, guarded
# at run time), and java.desktop alone adds about 12 MB to the runtime.
OPTIONAL_MODULES="java.desktop"

log() { echo "[agent-image] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: $0 [--force])" ;;
  esac
done

started=$SECONDS

# --- inputs -------------------------------------------------------------------------------------------------------
runner_jar="$RUNNER_TARGET/agent-runner.jar"
if [ ! -f "$runner_jar" ]; then
  die "$runner_jar is missing: run mvn package first (mvn -q -pl protocol,agent-runner -am package -DskipTests)"
fi
shopt -s nullglob
lib_jars=("$RUNNER_TARGET"/lib/*.jar)
shopt -u nullglob
if [ ${#lib_jars[@]} -eq 0 ]; then
  die "$RUNNER_TARGET/lib/ has no jars: run mvn package first (mvn -q -pl protocol,agent-runner -am package -DskipTests)"
fi
sqlite_jar=""
for j in "${lib_jars[@]}"; do
  case "$(basename "$j")" in sqlite-jdbc-*.jar) sqlite_jar="$j" ;; esac
done
[ -n "$sqlite_jar" ] || die "no sqlite-jdbc jar in $RUNNER_TARGET/lib/"

# A JDK with jmods/ (jlink needs them; Temurin 25 ships none): NANOCLAW_JLINK_JDK, JAVA_HOME, `java` on PATH, then
# any /usr/lib/jvm/*17*.
find_jdk() {
  local c candidates=()
  [ -n "${NANOCLAW_JLINK_JDK:-}" ] && candidates+=("$NANOCLAW_JLINK_JDK")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/*17*; do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    if [ -f "$c/jmods/java.base.jmod" ] && [ -x "$c/bin/jlink" ] && [ -x "$c/bin/jdeps" ] && [ -f "$c/release" ]; then
      echo "$c"; return 0
    fi
  done
  return 1
}
jdk=$(find_jdk) || die "no JDK with jmods/ found (jlink needs one): install openjdk-17-jdk-headless or set NANOCLAW_JLINK_JDK"
jdk_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release")

# --- Docker engine and base image ---------------------------------------------------------------------------------
if [ -x "$root/scripts/ensure-docker.sh" ]; then
  "$root/scripts/ensure-docker.sh" || die "no Docker engine"
fi
NANOCLAW_BASE_IMAGE="$BASE_IMAGE" "$here/build-base-image.sh" || die "building the base image $BASE_IMAGE failed"
base_id=$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE") || die "base image $BASE_IMAGE not found"

# --- up to date? ----------------------------------------------------------------------------------------------------
# compute_hash DIR: DIR holds agent-runner.jar and lib/*.jar.
compute_hash() {
  {
    echo "nanoclaw-agent-image inputs v1"
    (cd "$1" && sha256sum agent-runner.jar lib/*.jar)
    (cd "$here" && sha256sum Dockerfile.agent agent-runner.launcher ncl build-agent-image.sh)
    echo "base $BASE_IMAGE $base_id"
    echo "jdk $jdk"
    cat "$jdk/release"
    echo "modules $ALWAYS_MODULES / $OPTIONAL_MODULES / $EXTRA_MODULES"
  } | sha256sum | cut -d' ' -f1
}
changing="the runner jars changed while being read (is mvn package running?): run this again when it is done"
inputs_hash=$(compute_hash "$RUNNER_TARGET") || die "$changing"
current_hash=$(docker image inspect -f '{{index .Config.Labels "nanoclaw.inputs"}}' "$IMAGE" 2>/dev/null || true)
if [ "$force" = 0 ] && [ "$current_hash" = "$inputs_hash" ]; then
  log "image up to date: $IMAGE (inputs ${inputs_hash:0:12})"
  exit 0
fi
old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)

ctx=$(mktemp -d /tmp/nanoclaw-agent-ctx.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/lib" "$ctx/native" "$ctx/bin"

# Work from a snapshot of the jars, and label the image with the snapshot's hash: a `mvn package` running at the
# same time then can't make the image and its label disagree.
cp "$runner_jar" "$ctx/agent-runner.jar" 2>/dev/null && cp "${lib_jars[@]}" "$ctx/lib/" 2>/dev/null || die "$changing"
inputs_hash=$(compute_hash "$ctx")
runner_jar="$ctx/agent-runner.jar"
lib_jars=("$ctx/lib/"*.jar)
sqlite_jar="$ctx/lib/$(basename "$sqlite_jar")"
[ -f "$sqlite_jar" ] || die "$changing"

if [ -n "$current_hash" ] && [ "$force" = 0 ]; then
  log "inputs changed (${current_hash:0:12} -> ${inputs_hash:0:12}): rebuilding $IMAGE"
else
  log "building $IMAGE (inputs ${inputs_hash:0:12})"
fi

if ! "$jdk/bin/jar" tf "$runner_jar" | grep -qx 'io/nanoclaw/runner/Main.class'; then
  die "agent-runner.jar has no io/nanoclaw/runner/Main.class: run mvn package first (mvn -q -pl protocol,agent-runner -am package -DskipTests)"
fi

# --- Java runtime -------------------------------------------------------------------------------------------------
log "JDK $jdk_version at $jdk"
jdeps_out=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 \
  "$runner_jar" "${lib_jars[@]}" 2>"$ctx/jdeps.err") || { cat "$ctx/jdeps.err" >&2; die "jdeps failed"; }
found_modules=$(echo "$jdeps_out" | tail -n1)
# What our own jars (the runner and nanoclaw-*) reference directly, so an optional module they do use is kept.
own_jars=("$runner_jar")
for j in "${lib_jars[@]}"; do case "$(basename "$j")" in nanoclaw-*.jar) own_jars+=("$j") ;; esac; done
own_modules=$("$jdk/bin/jdeps" -summary --ignore-missing-deps --multi-release 17 "${own_jars[@]}" 2>/dev/null \
  | awk '$2 == "->" {print $3}' | sort -u | tr '\n' ' ')
modules=$(
  {
    echo "$found_modules,$ALWAYS_MODULES,$EXTRA_MODULES" | tr ',' '\n'
  } | while read -r m; do
    [ -n "$m" ] || continue
    case ",$OPTIONAL_MODULES," in
      *",$m,"*) case " $own_modules " in *" $m "*) echo "$m" ;; esac ;;
      *) echo "$m" ;;
    esac
  done | sort -u | paste -sd, -
)
log "jlink runtime with modules: $modules"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --generate-cds-archive --output "$ctx/java" >"$ctx/jlink.log" 2>&1 || { cat "$ctx/jlink.log" >&2; die "jlink failed"; }
# The launcher's -Xmx64m always means compressed oops: the no-coops base archive would never be used.
rm -f "$ctx/java/lib/server/classes_nocoops.jsa"
[ -f "$ctx/java/lib/server/classes.jsa" ] || die "jlink made no base CDS archive (lib/server/classes.jsa)"

# --- runner jars and sqlite's native library ----------------------------------------------------------------------
case "$(uname -m)" in
  x86_64|amd64) sqlite_arch=x86_64 ;;
  aarch64|arm64) sqlite_arch=aarch64 ;;
  *) die "unsupported machine $(uname -m)" ;;
esac
mkdir -p "$ctx/x"
(cd "$ctx/x" && "$jdk/bin/jar" xf "$sqlite_jar" "org/sqlite/native/Linux/$sqlite_arch/libsqlitejdbc.so")
[ -s "$ctx/x/org/sqlite/native/Linux/$sqlite_arch/libsqlitejdbc.so" ] \
  || die "$(basename "$sqlite_jar") has no org/sqlite/native/Linux/$sqlite_arch/libsqlitejdbc.so"
mv "$ctx/x/org/sqlite/native/Linux/$sqlite_arch/libsqlitejdbc.so" "$ctx/native/libsqlitejdbc.so"
rm -rf "$ctx/x"
# The launcher always points sqlite-jdbc at /app/native, so the natives for every other OS and CPU in the jar
# (about 11 MB) are dead weight: drop them from the image's copy of the jar.
if command -v zip >/dev/null 2>&1; then
  zip -q -d "$sqlite_jar" 'org/sqlite/native/*' >/dev/null
else
  log "zip not installed: keeping sqlite-jdbc's bundled natives (about 11 MB more)"
fi

cp "$here/agent-runner.launcher" "$ctx/bin/agent-runner"
cp "$here/ncl" "$ctx/bin/ncl"
cp "$here/Dockerfile.agent" "$ctx/Dockerfile"
rm -f "$ctx/jdeps.err" "$ctx/jlink.log"
chmod -R u=rwX,go=rX "$ctx"
chmod 0755 "$ctx/bin/agent-runner" "$ctx/bin/ncl"

# --- build ----------------------------------------------------------------------------------------------------------
build_log=$(mktemp /tmp/nanoclaw-agent-build.XXXXXX.log)
log "docker build (legacy builder, offline)"
if ! DOCKER_BUILDKIT=0 docker build --network none --force-rm \
     --build-arg "BASE_IMAGE=$BASE_IMAGE" \
     --label "nanoclaw.inputs=$inputs_hash" \
     --label "nanoclaw.java-version=$jdk_version" \
     --label "nanoclaw.java-modules=$modules" \
     -t "$IMAGE" "$ctx" >"$build_log" 2>&1; then
  # The builder's own chatter (step headers echo whole RUN scripts) is in the full log; show what the step said.
  grep -vE '^(Step [0-9]+/[0-9]+ :|The command .* returned a non-zero code| ---> |Removing intermediate container|Sending build context|DEPRECATED:| +BuildKit is| +environment-variable|$)' \
    "$build_log" | tail -n 30 >&2 || true
  failed_step=$(grep -E '^Step [0-9]+/[0-9]+ :' "$build_log" | tail -n1 | cut -c1-110)
  die "docker build failed at ${failed_step:-an unknown step} (full log: $build_log)"
fi
grep -h '^AppCDS check:' "$build_log" | sed 's/^/[agent-image] /' >&2 || true
rm -f "$build_log"

new_id=$(docker image inspect -f '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  # The previous build is now untagged: remove it unless a container still uses it.
  docker image rm "$old_id" >/dev/null 2>&1 || true
fi

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
base_size=$(docker image inspect -f '{{.Size}}' "$BASE_IMAGE")
elapsed=$((SECONDS - started))
log "built $IMAGE in ${elapsed} s: $(awk -v s="$size" 'BEGIN {printf "%.0f MB", s/1e6}') \
(base $(awk -v s="$base_size" 'BEGIN {printf "%.0f MB", s/1e6}'), added $(awk -v s="$((size - base_size))" 'BEGIN {printf "%.0f MB", s/1e6}'))"
