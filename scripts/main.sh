#!/usr/bin/env bash
# The main job (npm run main): train LeNet-5 on real MNIST for a short run, export it to ONNX,
# check its test accuracy on onnxruntime-node and its parity across engines: the same commands a
# user types. Everything lands in runs/quickstart (git-ignored). A few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
netspec() {
  echo "\$ netspec $*"
  node packages/cli/dist/bin.js "$@"
  echo
}
out=runs/quickstart
rm -rf "$out"
netspec train zoo:lenet5 --data mnist --limit 10000 --epochs 2 --out "$out/lenet5"
netspec export "$out/lenet5" -o "$out/lenet5.onnx"
netspec evaluate "$out/lenet5.onnx" --data mnist:test --engine ort-node --min-accuracy 0.9
netspec parity "$out/lenet5" --engines tfjs,ort-node,ort-web --data mnist:test --samples 1000
