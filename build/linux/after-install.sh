#!/bin/bash
# madoguchi deb: after install/upgrade. Idempotent. (No brace-style shell variables in this file:
# electron-builder treats "$" + "{name}" as its own template macros.)
set -e

APP_DIR=/opt/Madoguchi
ln -sf "$APP_DIR/madoguchi" /usr/bin/madoguchi
# The kiosk user: a system account with no login shell and no password.
if ! getent group madoguchi >/dev/null; then addgroup --system madoguchi; fi
if ! getent passwd madoguchi >/dev/null; then
  adduser --system --ingroup madoguchi --home /var/lib/madoguchi --no-create-home --shell /usr/sbin/nologin --gecos "Madoguchi kiosk" madoguchi
fi
# Serial devices: udev gives the adapters group madoguchi; dialout covers other serial ports.
# video/render/input: cage's access to the display and touch screen inside the logind session.
for g in dialout video render input; do
  if getent group "$g" >/dev/null; then adduser madoguchi "$g" >/dev/null; fi
done

# Chromium's sandbox: user namespaces when the kernel lets the kiosk user (not root, for whom it
# always works) make them, else the SUID helper.
if [[ -L /proc/self/ns/user ]] && runuser -u madoguchi -- unshare --user true 2>/dev/null; then
  chmod 0755 "$APP_DIR/chrome-sandbox" || true
else
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
fi

install -d -m 0750 -o madoguchi -g madoguchi /var/lib/madoguchi
# The journal key lives beside the data directory, never inside it (and so never in a copy or backup
# of it): /var/lib/madoguchi-keys, root's own (0700, the key 0600). The unit hands the kiosk a private
# copy (LoadCredential=); madoguchi-ctl runs as root and reads the file itself. A key is made here only
# for a kiosk with no journal yet: a journal without its key waits for the kept key (restore --key).
# A key that earlier versions kept in /var/lib/madoguchi/keys/ or owned by madoguchi is taken over.
install -d -m 0700 -o root -g root /var/lib/madoguchi-keys
chown root:root /var/lib/madoguchi-keys && chmod 0700 /var/lib/madoguchi-keys
if [ -f /var/lib/madoguchi/keys/journal.key ] && [ ! -e /var/lib/madoguchi-keys/journal.key ]; then
  install -m 0600 -o root -g root /var/lib/madoguchi/keys/journal.key /var/lib/madoguchi-keys/journal.key
  rm -f /var/lib/madoguchi/keys/journal.key
fi
if [ -e /var/lib/madoguchi-keys/journal.key ]; then
  chown root:root /var/lib/madoguchi-keys/journal.key && chmod 0600 /var/lib/madoguchi-keys/journal.key
elif [ ! -s /var/lib/madoguchi/journal.sqlite3 ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 > /var/lib/madoguchi-keys/journal.key.new)
  mv /var/lib/madoguchi-keys/journal.key.new /var/lib/madoguchi-keys/journal.key
fi
# The kiosk writes its own configuration (the technician console's validated edit, with the last
# good copy beside it): the directory and file belong to group madoguchi. TLS keys stay in tls/.
install -d -m 0770 -o root -g madoguchi /etc/madoguchi
if [ ! -e /etc/madoguchi/config.yaml ]; then
  install -m 0660 -o root -g madoguchi /usr/share/madoguchi/config.example.yaml /etc/madoguchi/config.yaml
else
  chgrp madoguchi /etc/madoguchi/config.yaml && chmod 0660 /etc/madoguchi/config.yaml
fi

if command -v udevadm >/dev/null; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=tty --action=change || true
fi

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable madoguchi-kiosk.service
  systemctl set-default graphical.target
  # An upgrade restarts a running kiosk; the new version's journal guard refuses to migrate while
  # a transaction is open or cash is in escrow (see `madoguchi-ctl upgrade check`).
  if [ "$1" = "configure" ] && [ -n "$2" ]; then
    systemctl try-restart madoguchi-kiosk.service || true
  fi
fi
exit 0
