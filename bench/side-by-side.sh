#!/usr/bin/env bash
# Runs `pam bench` and the PyTorch baseline on the same machine, one after the other, and prints
# one JSON line per measurement. Usage: bash bench/side-by-side.sh [STEPS]
# Needs Debian's python3-torch (apt-get install python3-torch) for the baseline; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-3}
for mode in train infer; do
  for model in IR50 IR50+PAM12; do
    node bin/pam.js bench "$mode" --model "$model" --batch 16 --size 112 --steps "$steps" --warmup 1 --backend wasm --json
    /usr/bin/python3 bench/torch_bench.py "$mode" --model "$model" --batch 16 --size 112 --steps "$steps" --warmup 1 --threads 2 --json
  done
done
