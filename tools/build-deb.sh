#!/bin/bash
# Builds the Debian package (dpkg-buildpackage -us -uc -b) from a copy of the
# source tree in which debian/ is packaging/debian. The .deb lands in
# build-deb/. Needs the build dependencies (packaging/debian/control) and
# debhelper: tools/install-deps.sh installs them. VIGIL_DEB_BUILD_OPTIONS adds
# to DEB_BUILD_OPTIONS (the CI test builds with noopt: it checks packaging).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/build-deb
rm -rf "$out"
mkdir -p "$out/src"
tar -c --exclude='./build*' --exclude=./.git . | tar -x -C "$out/src"
ln -s packaging/debian "$out/src/debian"
(cd "$out/src" && DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck ${VIGIL_DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) ||
  { tail -n 40 "$out/build.log"; exit 1; }
ls "$out"/*.deb
