#!/usr/bin/env bash
# The README's first command: install everything (Tesseract with its French and OSD data, the package), then
# check the bundled sample dossiers and write their reports to reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p reports
set +e
preverif run samples/dossiers --reference-date 2026-11-27 --html reports/ --json reports/ --csv reports/resume.csv
code=$?
set -e
echo "Rapports : reports/index.html, reports/resume.csv (code de sortie $code : 1 = au moins un dossier incomplet ou à vérifier)"
[ "$code" -le 1 ]
