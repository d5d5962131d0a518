#!/usr/bin/env bash
# Runs a command the way the distroless image runs it, without a container engine: in a private mount namespace
# (run this under `unshare --mount --propagation private --kill-child`), on a new root filesystem that holds only
# what the image holds (the node binary at /nodejs/bin/node, its shared libraries, CA certificates, a passwd with
# nonroot, the staged /app), with the root read-only, /tmp a tmpfs, /var/lib/cnmcp the writable data volume and the
# config mounted read-only; then chroots and drops to UID:GID 65532:65532 with no supplementary groups or capabilities.
# Usage: image-root.sh ROOT APP_DIR CONFIG_FILE DATA_DIR -- COMMAND...   (ROOT: an empty directory to mount on)
set -euo pipefail
root=$1 app=$2 config=$3 data=$4
shift 4
[ "${1:-}" = "--" ] && shift

bind_ro() { # SOURCE TARGET: a read-only bind mount (the second step applies ro to the bind itself)
  mount --bind "$1" "$2"
  mount -o remount,bind,ro "$2"
}

mount -t tmpfs -o mode=0755,size=16m cnmcp-root "$root"
mkdir -p "$root"/{nodejs/bin,app,etc/cnmcp,etc/ssl/certs,tmp,var/lib/cnmcp,proc,dev}

# IMAGE_NODE: the Node.js binary the image ships (the tests pass Node 24, as the image runs); else the one on PATH.
node=$(readlink -f "${IMAGE_NODE:-$(command -v node)}")
touch "$root/nodejs/bin/node"
bind_ro "$node" "$root/nodejs/bin/node"
# The dynamic loader and every library node links, at their usual paths (distroless ships the same glibc set).
for lib in $(ldd "$node" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  touch "$root$lib"
  bind_ro "$lib" "$root$lib"
done
bind_ro /etc/ssl/certs "$root/etc/ssl/certs"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
for dev in null zero random urandom; do
  touch "$root/dev/$dev"
  mount --bind "/dev/$dev" "$root/dev/$dev"
done
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"

bind_ro "$app" "$root/app"
touch "$root/etc/cnmcp/cnmcp.yaml"
bind_ro "$config" "$root/etc/cnmcp/cnmcp.yaml"
mount -t tmpfs -o mode=1777,nosuid,nodev,size=64m cnmcp-tmp "$root/tmp"
mount --bind "$data" "$root/var/lib/cnmcp"
mount -o remount,ro "$root"

# unshare as a plain launcher: chroot, WORKDIR, and setuid/setgid (which also drops supplementary groups).
exec unshare --root="$root" --wd=/app --setuid 65532 --setgid 65532 "$@"
