#!/usr/bin/env bash
# Debian packages Madoguchi's tests and simulators use. Idempotent; run as root.
set -euo pipefail
PACKAGES=(
  pcscd libpcsclite-dev vsmartcard-vpcd   # PC/SC daemon, headers for the pcsclite addon, virtual reader
  socat                                   # pty pairs for the ccTalk cash simulators
  chromium fonts-noto-cjk                 # end-to-end tests in Debian's Chromium, Japanese glyphs
  cups cups-client printer-driver-cups-pdf poppler-utils   # page printer queue, pdftotext/pdffonts
  cups-ipp-utils                          # ipptool: printer and job state over IPP
  locales                                 # ja_JP.UTF-8 for the production-profile tests (generated below)
  opensc                                  # pkcs15-tool, the reference reader in bench card
  mosquitto                               # MQTT broker for fleet reporting tests
  espeak-ng                               # pre-rendered voice guidance (scripts/generate-voice.mjs)
  openssl python3 make g++                # native module builds
  systemd cage                            # systemd-analyze verify of the kiosk unit (its ExecStart is cage)
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The kiosk runs in Japanese: tests run the production profile under LANG=ja_JP.UTF-8 too.
if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
  sed -i 's/^# *\(ja_JP\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^ja_JP\.UTF-8 UTF-8' /etc/locale.gen || echo 'ja_JP.UTF-8 UTF-8' >>/etc/locale.gen
  locale-gen >/dev/null
fi
echo "system packages ok (${#PACKAGES[@]} checked)"
