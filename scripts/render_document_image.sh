#!/usr/bin/env bash
# Render the first page of a .docx (the 通报, a notice) as a PNG, offline, for the docs:
#
#   scripts/render_document_image.sh SNAPSHOT/2026-10-31/bulletin.docx docs/img/bulletin.png
#
# Needs Debian's libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk (not the tests: they
# read the .docx with python-docx). The GB/T 9704 fonts the document names are not free; here
# fontconfig stands Noto CJK in for them (仿宋_GB2312, 宋体, 楷体_GB2312 → Noto Serif CJK SC;
# 黑体 → Noto Sans CJK SC; 方正小标宋简体 → Noto Serif CJK SC Bold), for this run only.
set -euo pipefail
docx=$(realpath "$1")
png=$(realpath -m "$2")
dpi=${DPI:-80}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

alias_font() {  # alias_font FAMILY SUBSTITUTE [bold]
  local weight=""
  [[ "${3:-}" == bold ]] && weight='<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
  printf '  <match target="pattern"><test name="family"><string>%s</string></test>%s' "$1" \
    "<edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>$2</string></edit>$weight</match>"
  echo
}
{
  echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
  echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
  alias_font "仿宋_GB2312" "Noto Serif CJK SC"
  alias_font "宋体" "Noto Serif CJK SC"
  alias_font "楷体_GB2312" "Noto Serif CJK SC"
  alias_font "黑体" "Noto Sans CJK SC"
  alias_font "方正小标宋简体" "Noto Serif CJK SC" bold
  echo '</fontconfig>'
} > "$work/fonts.conf"

FONTCONFIG_FILE="$work/fonts.conf" soffice --headless --norestore "-env:UserInstallation=file://$work/profile" \
  --convert-to pdf --outdir "$work" "$docx" > "$work/soffice.log" 2>&1 || { cat "$work/soffice.log"; exit 1; }
pdf="$work/$(basename "${docx%.*}").pdf"
pdftoppm -png -r "$dpi" -f 1 -l 1 -singlefile "$pdf" "${png%.png}"
echo "$png ($(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages in all)"
