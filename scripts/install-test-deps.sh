#!/usr/bin/env bash
# System packages the test suite needs: PostgreSQL (the dbt project's second target) and
# Chromium (the report's browser test). Installed from Debian packages when missing;
# without root or apt the tests that need them say so and skip.
set -uo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: missing ${need[*]} and cannot apt-get here; the tests that need them will skip." >&2
  exit 0
fi
echo "install-test-deps: installing ${need[*]} from Debian packages…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
  echo "install-test-deps: apt-get install ${need[*]} failed; the tests that need them will skip." >&2
}
exit 0
