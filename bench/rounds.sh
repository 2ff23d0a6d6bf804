#!/usr/bin/env bash
# Side by side in interleaved rounds, for a host whose speed drifts (this one varies by ±20%
# over minutes): each round runs every measurement once, tfjs then PyTorch (then, given a
# second checkout, its tfjs), so drift hits all of them alike; summarize with
# `node bench/summarize-rounds.js FILE` (medians and ratios).
# Usage: bash bench/rounds.sh [ROUNDS=2] [STEPS=2] [BASELINE_CHECKOUT] > rounds.jsonl
# Needs Debian's python3-torch for the PyTorch lines; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
steps=${2:-2}
baseline=${3:-}
tag() { sed "s/^{/{\"label\":\"$1\",\"round\":$2,/"; }
for r in $(seq 1 "$rounds"); do
  for mode in train infer; do
    for model in IR50 IR50+PAM12; do
      args=("$mode" --model "$model" --batch 16 --size 112 --steps "$steps" --warmup 1)
      node bin/pam.js bench "${args[@]}" --backend wasm --json | tag tfjs "$r"
      /usr/bin/python3 bench/torch_bench.py "${args[@]}" --threads 2 --json | tag pytorch "$r"
      if [ -n "$baseline" ]; then (cd "$baseline" && node bin/pam.js bench "${args[@]}" --backend wasm --json) | tag baseline "$r"; fi
    done
  done
done
