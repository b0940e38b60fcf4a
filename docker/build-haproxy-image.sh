#!/usr/bin/env bash
# Builds an HAProxy image for Parley's replicas with no registry, the way build-image.sh builds
# Parley's: FROM scratch, this machine's haproxy binary (Debian's package), the shared libraries
# ldd finds for it, and docker/haproxy.cfg (checked with haproxy -c first). It runs as nobody, in
# the foreground (-db), logging to stdout; ports 1234 (the replicas) and 8404 (the stats page).
#
# Usage: docker/build-haproxy-image.sh [TAG]      (default tag: parley-haproxy:latest)
# Needs: haproxy (apt-get install haproxy), ldd, and a running Docker engine.
set -euo pipefail

tag=${1:-parley-haproxy:latest}
here=$(cd "$(dirname "$0")" && pwd)
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)

[[ -x $haproxy ]] || { echo "build-haproxy-image: no haproxy on this machine; install Debian's: apt-get install haproxy" >&2; exit 1; }
"$haproxy" -c -q -f "$here/haproxy.cfg" \
    || { echo "build-haproxy-image: $here/haproxy.cfg is not valid (haproxy -c says why above)" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs=$context/rootfs
mkdir -p "$rootfs/usr/sbin" "$rootfs/etc/haproxy"
cp -L "$haproxy" "$rootfs/usr/sbin/haproxy"
cp "$here/haproxy.cfg" "$rootfs/etc/haproxy/haproxy.cfg"

# The host libraries haproxy links against (libc, OpenSSL, PCRE2, Lua...), at the same paths, with
# symlinks resolved.
while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
done < <(ldd "$haproxy" | grep -oE '(=> )?/[^ ]+' | sed 's/^=> //' | sort -u)

cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
USER 65534:65534
EXPOSE 1234 8404
ENTRYPOINT ["/usr/sbin/haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
DOCKERFILE

docker build --quiet --tag "$tag" "$context" >/dev/null
echo "$tag"
