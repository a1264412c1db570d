#!/usr/bin/env bash
# Renders the lab, the quiz and the sandbox at 1024×700, at 100% and 200% text, in Korean and
# English, light and dark, into docs/images/views/ (offscreen; no display needed).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/images/views
mkdir -p "$out"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
for view in lab quiz sandbox; do
  extra=()
  [ "$view" = lab ] && extra=(--level ch3-popf)
  for lang in ko en; do
    for theme in light dark; do
      for scale in 100 200; do
        VIRTQUEST_HOME="$home" QT_QPA_PLATFORM=offscreen .venv/bin/virtquest screenshot \
          --view "$view" "${extra[@]}" --lang "$lang" --theme "$theme" --scale "$scale" \
          --size 1024x700 "$out/$view-$lang-$theme-$scale.png" 2>/dev/null
      done
    done
  done
done
