#!/usr/bin/env bash
# System packages the tests use, from Debian's apt: python3-onnx for the official ONNX checker
# (onnx.checker.check_model, full_check) and chromium for the browser tests (playwright-core
# drives /usr/bin/chromium). Skipped when already there; says what to run when it cannot
# install (no root).
set -euo pipefail
missing=()
/usr/bin/python3 -c 'import onnx' 2>/dev/null || missing+=(python3-onnx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then exec sudo "$0"; fi
  echo "netspec: the tests need ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
}
/usr/bin/python3 -c 'import onnx'
/usr/bin/chromium --version >/dev/null 2>&1
