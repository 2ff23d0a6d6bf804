#!/usr/bin/env python3
"""PyTorch baseline for `pam bench`: the same model (face.evoLVe IR + PAM), the same step
(forward, ArcFace loss, backward, SGD with momentum and weight decay) on random data.

A benchmark, never a test dependency. Uses Debian's python3-torch:

    /usr/bin/python3 bench/torch_bench.py train --model IR50+PAM12 --batch 16 --size 112 --steps 5 --threads 2 --json
    /usr/bin/python3 bench/torch_bench.py infer --model IR50+PAM12 --batch 16 --size 112 --steps 5 --threads 2 --json

Prints one JSON line with at least imagesPerSecond, backend, peakRssBytes (as `pam bench`).
The model is written here from the paper and face.evoLVe's layer structure, not copied.
"""
import argparse
import json
import math
import re
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DEPTHS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 14, 3], 100: [3, 13, 30, 3], 152: [3, 8, 36, 3]}


class IRUnit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        if cin == cout:
            self.shortcut = nn.MaxPool2d(1, stride)
        else:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.res = nn.Sequential(
            nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.PReLU(cout),
            nn.Conv2d(cout, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.shortcut(x) + self.res(x)


class PAM(nn.Module):
    """DRM (BN → dw3×3 → PReLU → dw3×3 → BN, gated by S(yaw)) then CAM (CBAM, no identity)."""

    def __init__(self, c, k=10.0):
        super().__init__()
        self.k = k
        self.drm = nn.Sequential(
            nn.BatchNorm2d(c), nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False), nn.PReLU(c),
            nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False), nn.BatchNorm2d(c))
        h = max(1, c // 16)
        self.mlp = nn.Sequential(nn.Conv2d(c, h, 1, bias=False), nn.ReLU(), nn.Conv2d(h, c, 1, bias=False))

    def forward(self, x, yaw):
        gate = torch.sigmoid(self.k * (yaw.abs() / 45.0 - 1.0)).view(-1, 1, 1, 1)
        y = x + gate * self.drm(x)
        a = self.mlp(F.adaptive_avg_pool2d(y, 1)) + self.mlp(F.adaptive_max_pool2d(y, 1))
        return y * torch.sigmoid(a)


class IRPam(nn.Module):
    def __init__(self, depth, pam_stages, size, width=1.0):
        super().__init__()
        widths = [max(1, round(c * width)) for c in (64, 128, 256, 512)]
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.PReLU(widths[0]))
        stages, pams, cin = [], [], widths[0]
        for s, (n, c) in enumerate(zip(DEPTHS[depth], widths)):
            stages.append(nn.Sequential(*[IRUnit(cin if i == 0 else c, c, 2 if i == 0 else 1) for i in range(n)]))
            pams.append(PAM(c) if (s + 1) in pam_stages else None)
            cin = c
        self.stages = nn.ModuleList(stages)
        self.pams = nn.ModuleList([p if p is not None else nn.Identity() for p in pams])
        self.has_pam = [p is not None for p in pams]
        out = size
        for _ in range(4):
            out = (out + 1) // 2
        self.head = nn.Sequential(nn.BatchNorm2d(widths[3]), nn.Dropout(0.0), nn.Flatten(),
                                  nn.Linear(widths[3] * out * out, 512), nn.BatchNorm1d(512))

    def forward(self, x, yaw):
        x = self.stem((x - 127.5) / 128.0)
        for stage, pam, has in zip(self.stages, self.pams, self.has_pam):
            x = stage(x)
            if has:
                x = pam(x, yaw)
        return self.head(x)


def arcface_loss(emb, weight, labels, s=64.0, m=0.5):
    cos = F.normalize(emb) @ F.normalize(weight, dim=0)
    sin = torch.sqrt((1.0 - cos * cos).clamp(1e-12, 1.0))
    phi = cos * math.cos(m) - sin * math.sin(m)
    phi = torch.where(cos > math.cos(math.pi - m), phi, cos - math.sin(math.pi - m) * m)
    onehot = F.one_hot(labels, weight.shape[1]).float()
    logits = s * (onehot * phi + (1.0 - onehot) * cos)
    return F.cross_entropy(logits, labels)


def parse_model(name):
    m = re.fullmatch(r"IR(\d+)(?:\+PAM(\d+))?", name.upper())
    if not m:
        raise SystemExit(f"torch_bench.py: model {name} is not IR<depth>[+PAM<stages>]")
    return int(m.group(1)), {int(c) for c in (m.group(2) or "")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "infer"])
    p.add_argument("--model", default="IR50+PAM12")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=112)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    depth, stages = parse_model(a.model)
    model = IRPam(depth, stages, a.size, a.width)
    head = nn.Parameter(torch.randn(512, a.classes) * 0.01)
    x = torch.rand(a.batch, 3, a.size, a.size) * 255
    yaw = torch.rand(a.batch) * 180 - 90
    labels = torch.arange(a.batch) % a.classes
    if a.mode == "train":
        model.train()
        opt = torch.optim.SGD(list(model.parameters()) + [head], lr=0.01, momentum=0.9, weight_decay=5e-4)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = arcface_loss(model(x, yaw), head, labels)
            loss.backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                model(x, yaw)
    for _ in range(max(1, a.warmup)):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    r = {"mode": a.mode, "model": a.model, "backend": f"pytorch-{torch.__version__}-{a.threads}threads", "batch": a.batch,
         "size": a.size, "width": a.width, "steps": a.steps, "msPerStep": ms, "imagesPerSecond": a.batch * 1000 / ms,
         "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    print(json.dumps(r) if a.json else f"{a.mode} {a.model} on {r['backend']}: {ms:.0f} ms/step, {r['imagesPerSecond']:.2f} images/s")


if __name__ == "__main__":
    main()
