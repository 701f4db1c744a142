#!/usr/bin/env bash
# Container and Kubernetes checks, run by .ci/run after the tests (`bash .ci/container.sh` from the
# repository root; needs root, as CI has, to install and drive podman):
#   1. deploy/k8s: rendered and validated offline against the bundled Kubernetes schemas, plus the
#      deployment rules (one replica, Recreate, non-root, read-only root, no committed token...).
#   2. The Dockerfile, built and run through ../shared/tools/container-smoke (podman; a local Debian
#      root stands in for python:3.12-slim): `ask` answers in Korean, `check` passes, the process is
#      non-root, `health` without a bot fails clearly, and the default CMD runs the bot against the
#      tests' fake Discord on the loopback with a read-only root filesystem: the image's HEALTHCHECK
#      turns healthy, idle RSS is printed, and SIGTERM stops it cleanly within 10 s.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
smoke=${CONTAINER_SMOKE:-$root/../shared/tools/container-smoke}
[ -x "$smoke" ] || { echo "container.sh: $smoke not found (../shared/tools beside the repository)" >&2; exit 2; }

step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }
fail() { echo "container.sh: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
image=localhost/lessonbot:ci-$$  # a tag of our own: two runs on one machine never swap images
pids=()
names=()
cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -s "$work/smoke.log" ]; then
    echo "--- container-smoke's last output:" >&2
    grep -v 'systemd connection' "$work/smoke.log" | tail -n 30 >&2
  fi
  for name in "${names[@]}"; do podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  podman untag "$image" >/dev/null 2>&1 || true  # the layers stay as the next build's cache
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. Kubernetes manifests, offline
step "deploy/k8s: offline validation"
k8s_python() {
  local py venv=${LESSONBOT_K8S_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lessonbot-ci/k8s-venv}
  for py in ${PYTHON:-} python3 "$venv/bin/python"; do
    if "$py" -c 'import kubernetes_validate, yaml' 2>/dev/null; then echo "$py"; return; fi
  done
  echo "installing kubernetes-validate into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==1.37.0" >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; return 1; }
  echo "$venv/bin/python"
}
py=$(k8s_python)
# No network at all while validating, where this machine lets us make an empty network namespace.
offline=()
if unshare -n true 2>/dev/null; then offline=(unshare -n); fi
"${offline[@]}" "$py" .ci/k8s_validate.py deploy/k8s
# The validator must also say no: a RollingUpdate and a misspelt field are both rejected.
cp -r deploy/k8s "$work/k8s-rolling" && sed -i 's/type: Recreate/type: RollingUpdate/' "$work/k8s-rolling/deployment.yaml"
cp -r deploy/k8s "$work/k8s-typo" && sed -i 's/readOnlyRootFilesystem:/readOnlyRootFilesytem:/' "$work/k8s-typo/deployment.yaml"
for bad in k8s-rolling k8s-typo; do
  if "${offline[@]}" "$py" .ci/k8s_validate.py "$work/$bad" 2>"$work/$bad.err"; then
    fail "the validator accepted a broken copy ($bad)"
  fi
  echo "rejected as expected ($bad): $(cat "$work/$bad.err")"
done

# ---------------------------------------------------------------- 2. the image, via container-smoke
# Build in Docker's image format, as `docker build` does: podman's default (OCI) drops HEALTHCHECK.
export BUILDAH_FORMAT=docker
# For our own podman calls: the same engine settings container-smoke uses on this machine.
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf
# container-smoke's own chatter and podman's go to a log (shown if the script fails); each step
# checks the command's stdout. No systemd here to time health checks, so podman logs an error
# about that on every run: harmless.
smoke() {
  : >"$work/smoke.log"
  "$smoke" -t "$image" "$@" 2>>"$work/smoke.log"
}
echo "(the first build on a machine installs podman and debootstraps the stand-in base: a minute or two)"

step "image: ask \"컨테이너가 뭐야?\" with no config and no token"
out=$(smoke -- ask "컨테이너가 뭐야?")
printf '%s\n' "$out"
grep -q '컨테이너는' <<<"$out" || fail "ask did not print the Korean answer about containers"

step "image: metadata"
meta=$(podman image inspect "$image" --format \
  'user={{.Config.User}} entrypoint={{json .Config.Entrypoint}} cmd={{json .Config.Cmd}} stopsignal={{.Config.StopSignal}} healthcheck={{json .Config.Healthcheck.Test}}')
echo "$meta"
for want in 'user=10001:10001' 'entrypoint=["lessonbot"]' 'cmd=["run","--config","/config/config.yaml"]' \
  'stopsignal=SIGTERM' 'healthcheck=["CMD","lessonbot","health","--config","/config/config.yaml"]'; do
  grep -qF "$want" <<<"$meta" || fail "image metadata lacks $want"
done
size=$(podman image inspect "$image" --format '{{.Size}}')
base=$(podman image inspect localhost/standin-python:bookworm --format '{{.Size}}' 2>/dev/null || echo 0)
echo "image size: $((size / 1000000)) MB ($(((size - base) / 1000000)) MB on top of the base image)"

step "image: check (bundled lessons + the image's /config/config.yaml, i.e. deploy/k8s/config.yaml)"
smoke -- check --config /config/config.yaml

step "image: runs as a non-root uid"
uid=$(SMOKE_RUN_ARGS="--entrypoint id" smoke -- -u)
echo "uid=$uid"
if ! [[ "$uid" =~ ^[1-9][0-9]*$ ]]; then fail "the image runs as uid '$uid'"; fi

step "image: health without a running bot"
rc=0
out=$(smoke -- health --config /config/config.yaml) || rc=$?
echo "$out (exit $rc)"
[ "$rc" -ne 0 ] || fail "health exited 0 with no bot running"
grep -q 'unhealthy' <<<"$out" || fail "health gave no clear 'unhealthy' message"

# ---------------------------------------------------------------- 3. the bot itself, on the loopback
step "image: default CMD against the tests' fake Discord (read-only root, all capabilities dropped)"
mkdir "$work/state"
chown 10001:10001 "$work/state"
fake=lessonbot-ci-fake-$$ bot=lessonbot-ci-bot-$$
names+=("$fake" "$bot")
# The fake Discord runs in the same image (it needs discord.py and aiohttp), listening on 127.0.0.1.
SMOKE_RUN_ARGS="--name $fake --user 0 --no-healthcheck --entrypoint python -v $root:/repo:ro -v $work:/out" \
  "$smoke" -t "$image" -- /repo/.ci/fake_gateway.py /out >"$work/fake.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do [ -f "$work/config.yaml" ] && break; sleep 0.5; done
[ -f "$work/config.yaml" ] || { cat "$work/fake.log"; fail "the fake Discord did not start"; }
grep 'listening' "$work/fake.log"

# As the Deployment runs it: read-only root, only /state and a small /tmp writable, no capabilities.
SMOKE_RUN_ARGS="--name $bot --read-only --read-only-tmpfs=false --tmpfs /tmp:size=16m \
  --cap-drop ALL --security-opt no-new-privileges --health-interval disable -e DISCORD_TOKEN=fake-bot-token -v $work/config.yaml:/config/config.yaml:ro -v $work/state:/state" \
  "$smoke" -t "$image" >"$work/bot.log" 2>&1 &
bot_pid=$!
pids+=("$bot_pid")
healthy=
for _ in $(seq 90); do
  # `podman healthcheck run` runs the image's own HEALTHCHECK command in the container.
  if podman healthcheck run "$bot" >/dev/null 2>&1; then healthy=yes; break; fi
  kill -0 "$bot_pid" 2>/dev/null || break
  sleep 1
done
[ -n "$healthy" ] || { cat "$work/bot.log" "$work/fake.log"; fail "the bot never turned healthy"; }
echo "HEALTHCHECK: $(podman inspect "$bot" --format '{{.State.Health.Status}}') after ${SECONDS}s of this script"
podman exec "$bot" lessonbot health --config /config/config.yaml
if podman exec "$bot" sh -c ': >/opt/venv/written' 2>/dev/null; then fail "the root filesystem is writable"; fi

sleep 5
rss_kib=$(podman exec "$bot" awk '/^VmRSS/ {print $2}' /proc/1/status)
probe_kib=$(podman exec "$bot" python -c "import resource, subprocess
subprocess.run(['lessonbot', 'health', '--config', '/config/config.yaml'], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
echo "idle RSS of the connected bot (PID 1, VmRSS): $((rss_kib / 1024)) MiB; one health probe peaks at $((probe_kib / 1024)) MiB"
request=$(awk '/requests:/ {r=1} r && /memory:/ {print $2; exit}' deploy/k8s/deployment.yaml)
[ "${request%Mi}" != "$request" ] || fail "deployment.yaml memory request '$request' is not in Mi"
[ $(((rss_kib + probe_kib) / 1024)) -lt "${request%Mi}" ] \
  || fail "bot + probe ($(((rss_kib + probe_kib) / 1024)) MiB) exceed the Deployment's memory request $request"

start=$(date +%s%N)
podman stop -t 10 "$bot" >/dev/null 2>>"$work/smoke.log"
rc=0
wait "$bot_pid" || rc=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
tail -n 3 "$work/bot.log"
echo "SIGTERM -> exit $rc in ${elapsed_ms} ms"
[ "$rc" -eq 0 ] || { cat "$work/bot.log"; fail "the bot exited $rc after SIGTERM (137 = killed after 10 s)"; }
[ "$elapsed_ms" -lt 10000 ] || fail "the bot took ${elapsed_ms} ms to stop"
grep -q 'received SIGTERM' "$work/bot.log" || fail "the bot did not log the SIGTERM it received"

rc=0
out=$(SMOKE_RUN_ARGS="-v $work/config.yaml:/config/config.yaml:ro -v $work/state:/state" \
  smoke -- health --config /config/config.yaml) || rc=$?
echo "after the stop: $out (exit $rc)"
if [ "$rc" -eq 0 ] || ! grep -q 'no heartbeat' <<<"$out"; then fail "the stopped bot left a heartbeat behind"; fi

podman stop -t 10 "$fake" >/dev/null 2>>"$work/smoke.log"
wait "${pids[0]}" || true
tail -n 1 "$work/fake.log"

step "container checks passed"
