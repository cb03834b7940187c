#!/usr/bin/env bash
# Installs everything preverif needs on a Debian/Ubuntu machine (as root, or with sudo available):
# Tesseract 5 with French and OSD data, the fonts the sample generator draws with, then the package.
# Idempotent: what is already there is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_pkgs=(tesseract-ocr tesseract-ocr-fra tesseract-ocr-osd tesseract-ocr-eng
          fonts-dejavu-core fonts-liberation2 fonts-ocr-b
          fonts-dkg-handwriting fonts-breip fonts-dancingscript fonts-femkeklaver
          chromium)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installation des paquets système : ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "apt-get absent : installez vous-même ${missing[*]} (Tesseract 5 avec les données fra et osd)." >&2
  fi
fi

python3 -m pip install -q --disable-pip-version-check -e ".[dev]"
