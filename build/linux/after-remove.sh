#!/bin/bash
# madoguchi deb: after remove/purge. The journal, its key and its backups in /var/lib/madoguchi are
# records of money and certificates: they are never deleted by the package, not even on purge.
set -e
case "$1" in
  remove|purge)
    if [ ! -e /opt/Madoguchi/madoguchi ]; then rm -f /usr/bin/madoguchi; fi
    if [ -d /run/systemd/system ]; then
      # The program is gone: stop the session that still runs it, then keep it from starting.
      systemctl stop madoguchi-kiosk.service >/dev/null 2>&1 || true
      systemctl disable madoguchi-kiosk.service >/dev/null 2>&1 || true
      systemctl daemon-reload || true
    fi
    if command -v udevadm >/dev/null; then udevadm control --reload-rules || true; fi
    ;;
esac
if [ "$1" = "purge" ]; then
  echo "madoguchi: /var/lib/madoguchi (journal, keys, backups) and /etc/madoguchi are kept; archive them before deleting."
fi
exit 0
