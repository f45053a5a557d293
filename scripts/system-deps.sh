#!/usr/bin/env bash
# System packages the tests use, from Debian's apt: python3-onnx for the official ONNX checker
# (onnx.checker.check_model, full_check). Skipped when already there; says what to run when it
# cannot install (no root).
set -euo pipefail
if /usr/bin/python3 -c 'import onnx' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then exec sudo "$0"; fi
  echo "netspec: the ONNX checker needs python3-onnx: run 'sudo apt-get install -y python3-onnx'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq python3-onnx >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq python3-onnx >/dev/null
}
/usr/bin/python3 -c 'import onnx' 
