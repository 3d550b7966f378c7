#!/bin/bash
# `meson install` gives a working installation: vigild finds its children in
# <prefix>/<libexecdir>/vigil and fails over a VIP. The build tree is
# installed with DESTDIR, and this test runs in a private mount namespace in
# which the DESTDIR copy is bind-mounted over the prefix, so the host's
# /usr/local is never touched and no second tree has to be built.
if [ -z "${VIGIL_INSTALL_NS:-}" ]; then
  VIGIL_INSTALL_NS=1 exec unshare --mount bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
prefix=$(meson introspect --buildoptions "$VIGIL_BUILD" |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
destdir=$(mktemp -d /tmp/vigil-install.XXXXXX)
trap 'rm -rf "$destdir"' EXIT
meson install -C "$VIGIL_BUILD" --destdir "$destdir" --no-rebuild --quiet >/dev/null
mkdir -p "$prefix"
mount --bind "$destdir$prefix" "$prefix"
VIGILD="$prefix/sbin/vigild"
[ -x "$prefix/libexec/vigil/vigil-vrrp" ] || fail "vigil-vrrp not installed under $prefix/libexec/vigil"
[ -x "$prefix/libexec/vigil/vigil-checker" ] || fail "vigil-checker not installed"
[ -f "$prefix/lib/sysusers.d/vigil.conf" ] || fail "sysusers.d file not installed"
[ -f "$prefix/share/man/man8/vigild.8" ] || fail "man page not installed"
[ -f "$prefix/share/man/man8/vigilctl.8" ] || fail "vigilctl man page not installed"
[ -f "$prefix/share/man/man5/vigil.conf.5" ] || fail "vigil.conf man page not installed"
[ -x "$prefix/sbin/vigilctl" ] || fail "vigilctl not installed"

lab_create vgi
trap 'lab_destroy; rm -rf "$destdir"' EXIT
write_config a MASTER 100
httpd_start a
vigild_start a
wait_until 6 "VIP on A from the installed vigild" has_vip a
brain=$(child_pid a vigil-vrrp)
[ "$(readlink "/proc/$brain/exe")" = "$prefix/libexec/vigil/vigil-vrrp" ] ||
  fail "the brain did not come from the installation: $(readlink "/proc/$brain/exe")"
# The installed vigilctl finds the installed vigild for check-config.
"$prefix/sbin/vigilctl" check-config "$LAB_DIR/a.conf" 2>"$LAB_DIR/check.txt" ||
  fail "installed vigilctl check-config: $(cat "$LAB_DIR/check.txt")"
grep -q "configuration is valid" "$LAB_DIR/check.txt" || fail "check-config said: $(cat "$LAB_DIR/check.txt")"
"$prefix/sbin/vigilctl" -s "$LAB_DIR/a.ctl" status | grep -q "HA_1 .*MASTER" ||
  fail "installed vigilctl status does not show HA_1 as MASTER"
pass "installed under $prefix: vigild ran its children from $prefix/libexec/vigil; vigilctl status and check-config work"
