#!/usr/bin/env bash
# Builds a NATS image for the help desk shared by Parley's replicas (docs/SCALING.md, --cluster) with
# no registry, the way build-haproxy-image.sh builds HAProxy's: FROM scratch, this machine's
# nats-server binary (Debian's package) and the shared libraries ldd finds for it. It runs as nobody,
# with JetStream on (the desk's log) and its store in /data (mount a volume there in production: the log
# must survive the broker's restart), clients on port 4222, logging to stderr.
#
# Usage: docker/build-nats-image.sh [TAG]         (default tag: parley-nats:latest)
# Needs: nats-server (apt-get install nats-server), ldd, and a running Docker engine.
set -euo pipefail

tag=${1:-parley-nats:latest}
nats=$(command -v nats-server || echo /usr/sbin/nats-server)

[[ -x $nats ]] || { echo "build-nats-image: no nats-server on this machine; install Debian's: apt-get install nats-server" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs=$context/rootfs
mkdir -p "$rootfs/usr/sbin" "$context/data"
cp -L "$nats" "$rootfs/usr/sbin/nats-server"

# The host libraries it links against (libc and the loader: Debian builds it with cgo), at the same
# paths, with symlinks resolved. A static build has none ("not a dynamic executable").
while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
done < <(ldd "$nats" 2>/dev/null | grep -oE '(=> )?/[^ ]+' | sed 's/^=> //' | sort -u)

cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
COPY --chown=65534:65534 data/ /data/
USER 65534:65534
EXPOSE 4222
ENTRYPOINT ["/usr/sbin/nats-server", "--jetstream", "--store_dir", "/data", "--port", "4222"]
DOCKERFILE

docker build --quiet --tag "$tag" "$context" >/dev/null
echo "$tag"
