#!/bin/bash
# Issue 6, the Debian package: dpkg-buildpackage builds it; lintian finds no
# error; `dpkg -i` installs it on this machine (CI's is thrown away after the
# run) with the binaries, the unit, the users, the man pages and the example
# where they belong; `vigild -t` and `vigilctl check-config` pass on the
# installed example; `dpkg --purge` leaves none of its files behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "$*"; }
fail() { echo "FAIL: $*"; exit 1; }
if dpkg-query -W -f='${Status}' vigil 2>/dev/null | grep -q "ok installed"; then
  dpkg --purge vigil >/dev/null
fi

# -O0: this test checks the packaging, not the code, and a third of CI time
# went into compiling the package optimised.
VIGIL_DEB_BUILD_OPTIONS=noopt tools/build-deb.sh >/dev/null
deb=$(ls build-deb/vigil_*.deb)
lintian --fail-on error "$deb" >build-deb/lintian.txt 2>&1 || fail "lintian: $(cat build-deb/lintian.txt)"
log "lintian: $(grep -c '^E:' build-deb/lintian.txt || true) errors, $(grep -c '^W:' build-deb/lintian.txt || true) warnings"

dpkg -i "$deb" >/dev/null
trap 'dpkg --purge vigil >/dev/null 2>&1 || true' EXIT
for path in /usr/sbin/vigild /usr/sbin/vigilctl /usr/libexec/vigil/vigil-vrrp /usr/libexec/vigil/vigil-checker; do
  [ -x "$path" ] || fail "$path not installed"
done
for path in /lib/systemd/system/vigil.service /usr/lib/sysusers.d/vigil.conf /usr/lib/tmpfiles.d/vigil.conf \
  /usr/share/man/man8/vigild.8.gz /usr/share/man/man8/vigilctl.8.gz /usr/share/man/man5/vigil.conf.5.gz \
  /usr/share/doc/vigil/examples/vigil.conf.example; do
  [ -f "$path" ] || fail "$path not installed"
done
id vigil-vrrp >/dev/null && id vigil-checker >/dev/null || fail "the system users were not created"
example=/usr/share/doc/vigil/examples/vigil.conf.example
/usr/sbin/vigild -t -f "$example" 2>build-deb/check.txt || fail "vigild -t on the example: $(cat build-deb/check.txt)"
grep -q "configuration is valid" build-deb/check.txt || fail "vigild -t said: $(cat build-deb/check.txt)"
/usr/sbin/vigilctl check-config "$example" 2>/dev/null || fail "vigilctl check-config on the example"
files=$(dpkg -L vigil)
log "installed $(wc -l <<<"$files") paths; vigild -t passes on the example"

dpkg --purge vigil >/dev/null
trap - EXIT
left=""
while read -r path; do
  # Shared directories (/usr, /lib/systemd/system, ...) stay; ours must go.
  if [ -f "$path" ] || { [ -L "$path" ] && [ ! -d "$path" ]; }; then left="$left $path"; fi
  case "$path" in
    /usr/libexec/vigil|/usr/share/doc/vigil|/run/vigil) [ ! -e "$path" ] || left="$left $path" ;;
  esac
done <<<"$files"
for path in /run/vigil /etc/systemd/system/multi-user.target.wants/vigil.service; do
  [ ! -e "$path" ] && [ ! -L "$path" ] || left="$left $path"
done
[ -z "$left" ] || fail "left behind after purge:$left"
log "PASS: the .deb builds, passes lintian, installs, checks its example config, and purges without a trace"
