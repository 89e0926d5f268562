#!/usr/bin/env bash
# Install the Debian tools the tests drive, when missing (CI starts on a fresh machine):
# chromium (dashboard browser tests), prometheus (promtool; the topology test's scraper),
# nginx (the reverse-proxy config test), wrk (load benches).
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing tools (${need[*]}); install them with apt-get as root" >&2
  exit 0
fi
echo "installing ${need[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "could not install ${need[*]}: the tests that need them are skipped" >&2
# Debian's packages start daemons where systemd runs; tests start their own instances.
pkill -x prometheus 2>/dev/null; pkill -f prometheus-node-exporter 2>/dev/null; nginx -s stop 2>/dev/null
exit 0
