#!/usr/bin/env bash
# Rebuilds vendor/libdatachannel's binary (see its README.md): node-datachannel 0.33.4 over libdatachannel 0.24.5
# with wait-for-remote-description.patch, for linux-x64 with glibc, OpenSSL linked in as upstream's is.
# Needs git, cmake, ninja, g++, libssl-dev, npm's registry, and GitHub, unless LIBDATACHANNEL_SRC names a
# libdatachannel v0.24.5 checkout with its submodules (git clone --recurse-submodules --branch v0.24.5 ...).
set -euo pipefail
cd "$(dirname "$0")/.."
readonly VERSION=0.33.4 TAG=v0.24.5
readonly VENDOR=vendor/libdatachannel
readonly OUT="$VENDOR/node_datachannel-$VERSION-linux-x64-gnu.node.gz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${LIBDATACHANNEL_SRC:-}" ]; then
  cp -r "$LIBDATACHANNEL_SRC" "$work/libdatachannel"
else
  git clone -q --depth 1 --branch "$TAG" --recurse-submodules --shallow-submodules \
    https://github.com/paullouisageneau/libdatachannel.git "$work/libdatachannel"
fi
[ "$(git -C "$work/libdatachannel" describe --tags --exact-match)" = "$TAG" ] || { echo "not $TAG" >&2; exit 1; }
git -C "$work/libdatachannel" apply "$PWD/$VENDOR/wait-for-remote-description.patch"

(cd "$work" && npm pack --silent "node-datachannel@$VERSION" node-addon-api@7 node-api-headers@1 >/dev/null)
mkdir -p "$work/node-datachannel/node_modules/node-addon-api" "$work/node-datachannel/node_modules/node-api-headers"
tar -xzf "$work"/node-datachannel-"$VERSION".tgz -C "$work/node-datachannel" --strip-components=1
tar -xzf "$work"/node-addon-api-*.tgz -C "$work/node-datachannel/node_modules/node-addon-api" --strip-components=1
tar -xzf "$work"/node-api-headers-*.tgz -C "$work/node-datachannel/node_modules/node-api-headers" --strip-components=1

# node-datachannel's CMakeLists reads libdatachannel's headers from FetchContent's usual place.
mkdir -p "$work/build/_deps"
ln -s "$work/libdatachannel" "$work/build/_deps/libdatachannel-src"
cmake -S "$work/node-datachannel" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DFETCHCONTENT_SOURCE_DIR_LIBDATACHANNEL="$work/libdatachannel" -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
  -DCMAKE_JS_INC="$(node -p "require('path').resolve(process.execPath, '../../include/node')")" \
  -DNO_EXAMPLES=ON -DNO_TESTS=ON >"$work/configure.log"
ninja -C "$work/build" node_datachannel >"$work/build.log"

strip --strip-unneeded -o "$work/node_datachannel.node" "$work/build/node_datachannel.node"
gzip -9 -n -c "$work/node_datachannel.node" >"$OUT"
(cd "$work" && sha256sum node_datachannel.node) >"$VENDOR/SHA256SUMS"
echo "built $OUT ($(du -h "$OUT" | cut -f1)), sha256 $(cut -d' ' -f1 "$VENDOR/SHA256SUMS")"
