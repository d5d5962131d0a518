#!/usr/bin/env bash
# Installs what the test suite runs for real, when it is missing: today the PostgreSQL server binaries (the tests
# start throwaway servers of their own from them; nothing is started here). Silent and quick when all is present;
# safe to run again. Exits 1 with what to install when it cannot install it itself.
set -euo pipefail

have_postgres() {
  local dir
  # Debian and Ubuntu keep the server binaries in /usr/lib/postgresql/<major>/bin, off PATH.
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && return 0
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

have_postgres && exit 0

cannot_install() {
  echo "ensure-test-services: the PostgreSQL server binaries (initdb, pg_ctl) are missing and $1." >&2
  echo "  The audit tests start their own throwaway PostgreSQL. Install it, then run the tests again:" >&2
  echo "    Debian/Ubuntu: sudo apt-get install postgresql      macOS: brew install postgresql" >&2
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

echo "ensure-test-services: installing postgresql (Debian packages)..." >&2
export DEBIAN_FRONTEND=noninteractive
install_postgres() { ${as_root[@]+"${as_root[@]}"} apt-get install -y -q --no-install-recommends postgresql >/dev/null; }
# A fresh machine has no package lists yet: update once, only when the install needs it.
if ! install_postgres 2>/dev/null; then
  ${as_root[@]+"${as_root[@]}"} apt-get update -q >/dev/null || cannot_install "apt-get update failed"
  install_postgres || cannot_install "apt-get install postgresql failed"
fi
have_postgres || cannot_install "were not found after installing postgresql"
echo "ensure-test-services: postgresql installed." >&2
