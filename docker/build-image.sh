#!/usr/bin/env bash
# Builds a Parley container image with no registry: FROM scratch, holding a jlink'ed Java
# runtime (from the JDK in JAVA_HOME, else the one running `java`), the shared libraries that
# runtime needs from this host (found with ldd, skipping the runtime's own), and parley.jar.
#
# The heap is half the container's memory limit (-XX:MaxRAMPercentage=50; the JVM's default is a
# quarter), and direct memory (Netty's buffers) at most as much, the JVM's default: the two together
# stay within the limit. Parley's memory budget, a quarter of the heap, bounds what clients hold in
# either; the server checks at start-up that it fits both.
#
# Usage: docker/build-image.sh [TAG]          (default tag: parley:latest)
# Needs: a built app/target/parley.jar (./mvnw -q -DskipTests package), a JDK with jlink and
# jdeps, ldd, and a running Docker engine. PARLEY_JAR overrides the jar's path.
set -euo pipefail

tag=${1:-parley:latest}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${PARLEY_JAR:-$root/app/target/parley.jar}
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

[[ -f $jar ]] || { echo "build-image: no $jar; build it first: ./mvnw -q -DskipTests package" >&2; exit 1; }
[[ -x $jdk/bin/jlink ]] || { echo "build-image: no jlink in $jdk; set JAVA_HOME to a full JDK" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
rootfs=$context/rootfs
runtime=/opt/java

modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")
# TLS's EC keys and signatures come from a provider jdeps cannot see (a service): jdk.crypto.ec, on
# the JDKs that still have it as a module of its own (17-21; later ones have it in java.base).
if "$jdk/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then
    modules=$modules,jdk.crypto.ec
fi
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$rootfs$runtime"

# The host libraries the runtime and the jar's native libraries (Netty's epoll transport and
# BoringSSL, extracted to /tmp when they load) link against (libc, libm, librt, the dynamic
# loader...), at the same paths, with symlinks resolved. Libraries inside the runtime itself are
# already there. Without them the server would fall back to NIO and to the JDK's TLS.
natives=$context/natives
mkdir -p "$natives"
(cd "$natives" && "$jdk/bin/jar" xf "$jar" META-INF/native)
while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
done < <(find "$rootfs$runtime" "$natives" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
    | grep -oE '(=> )?/[^ ]+' | sed 's/^=> //' | grep -v "^$rootfs" | grep -v "^$natives" | sort -u)

mkdir -p "$rootfs/opt/parley" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
cp "$jar" "$rootfs/opt/parley/parley.jar"

cat > "$context/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
ENTRYPOINT ["$runtime/bin/java", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=50", "-jar", "/opt/parley/parley.jar"]
DOCKERFILE

docker build --quiet --tag "$tag" "$context" >/dev/null
echo "$tag"
