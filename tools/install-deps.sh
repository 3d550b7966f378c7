#!/bin/bash
# Installs what vigil needs to build, test and run its demo on Debian 12.
# Set VIGIL_SKIP_APT=1 to skip (when the packages are known to be there).
set -euo pipefail
[ "${VIGIL_SKIP_APT:-}" = 1 ] && exit 0
packages=(
  # build
  meson ninja-build pkg-config g++ protobuf-compiler libprotobuf-dev libabsl-dev
  libnl-3-dev libnl-route-3-dev libcap-ng-dev libseccomp-dev libgtest-dev libgmock-dev
  # tests and demo: namespaces, the wire, the stand-in httpd, system users
  iproute2 tcpdump python3 systemd gawk procps keepalived tshark iputils-arping iputils-ping
  # the benchmark: NAPI threads on the lab's veths (bench/lab.py)
  ethtool
  # the Debian package: build and check
  debhelper dpkg-dev lintian
)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
