#!/usr/bin/env bash
# Validates the kiosk's systemd units with systemd-analyze verify. Any output fails: verify exits 0
# on warnings such as an unknown key, which would silently drop a setting on a real kiosk.
set -euo pipefail
command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing: apt-get install -y systemd" >&2; exit 2; }
[ -x /usr/bin/cage ] || { echo "cage missing (ExecStart is checked): apt-get install -y cage" >&2; exit 2; }
cd "$(dirname "$0")"
out=$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify ./*.service 2>&1) || { echo "$out" >&2; exit 1; }
if [ -n "$out" ]; then echo "$out" >&2; exit 1; fi
echo "systemd units ok: $(ls ./*.service | xargs -n1 basename | tr '\n' ' ')"
