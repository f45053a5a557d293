"""PyTorch twins of the training-speed benchmark's models, timed on one thread.

Run by training-speed.ts when Debian's python3-torch is installed; never in tests or CI.
Each model is the same architecture as its netspec spec (the parameter counts are printed so the
benchmark can show them side by side), trained with Adam on random data of the same shapes.
Prints one JSON object: samples/s, parameters, and the forward FLOPs of one sample (2 per
multiply-add of every convolution, linear layer, recurrent matmul and attention matmul).
"""

import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.f5 = nn.Linear(16 * 5 * 5, 120)
        self.f6 = nn.Linear(120, 84)
        self.out = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.c1(x)), 2)
        x = F.avg_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.f5(torch.flatten(x, 1)))
        return self.out(F.relu(self.f6(x)))


class CifarBlock(nn.Module):
    """He et al.'s basic block with the option-A (subsample, zero-pad channels) shortcut."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)
        self.pad = (cout - cin) // 2
        self.stride = stride

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        skip = x
        if self.stride > 1:
            skip = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(y + skip)


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16, eps=1e-3, momentum=0.01)
        blocks, cin = [], 16
        for cout in (16, 32, 64):
            for i in range(3):
                blocks.append(CifarBlock(cin, cout, 2 if i == 0 and cout != 16 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(x.mean((2, 3)))


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(1000, 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True)
        self.out = nn.Linear(64, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embed(x))
        return self.out(h[-1])


class DecoderLayer(nn.Module):
    """Pre-norm causal decoder layer (keras-hub TransformerDecoder, normalize_first)."""

    def __init__(self, width, heads, ff):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width, eps=1e-5)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width, eps=1e-5)
        self.ff1 = nn.Linear(width, ff)
        self.ff2 = nn.Linear(ff, width)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / (c // self.heads) ** 0.5
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~mask, float("-inf"))
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.proj(y)
        return x + self.ff2(F.gelu(self.ff1(self.norm2(x))))


class SmallGpt(nn.Module):
    def __init__(self, vocab=256, t=64, width=128, heads=4, ff=512, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, width)
        self.pos = nn.Embedding(t, width)
        self.layers = nn.Sequential(*[DecoderLayer(width, heads, ff) for _ in range(layers)])
        self.norm = nn.LayerNorm(width, eps=1e-5)
        self.logits = nn.Linear(width, vocab)

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1]))
        return self.logits(self.norm(self.layers(h)))


# name -> (model, input shape without batch, token vocabulary or None, target shape, classes)
MODELS = {
    "lenet5": (LeNet5, (1, 28, 28), None, (), 10),
    "resnet20": (ResNet20, (3, 32, 32), None, (), 10),
    "lstm": (LstmClassifier, (64,), 1000, (), 2),
    "gpt-small": (SmallGpt, (64,), 256, (64,), 256),
}


def forward_flops(model, x):
    """2 FLOPs per multiply-add of the convolutions, linear layers, LSTMs and attention matmuls."""
    total = 0

    def conv(m, inp, out):
        nonlocal total
        k = m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
        total += 2 * out.numel() * k

    def linear(m, inp, out):
        nonlocal total
        total += 2 * out.numel() * m.in_features

    def lstm(m, inp, out):
        nonlocal total
        b, t, _ = inp[0].shape
        total += 2 * b * t * 4 * m.hidden_size * (m.input_size + m.hidden_size)

    def attention(m, inp, out):
        nonlocal total
        b, t, c = inp[0].shape
        total += 2 * 2 * b * t * t * c  # q·k^T and p·v

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear))
        elif isinstance(m, nn.LSTM):
            hooks.append(m.register_forward_hook(lstm))
        elif isinstance(m, DecoderLayer):
            hooks.append(m.register_forward_hook(attention))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return total / x.shape[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    make, shape, vocab, target, classes = MODELS[a.model]
    model = make()
    x = (
        torch.randint(0, vocab, (a.batch, *shape))
        if vocab
        else torch.rand(a.batch, *shape)
    )
    y = torch.randint(0, classes, (a.batch, *target))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, classes), y.reshape(-1))
        loss.backward()
        opt.step()

    model.train()
    for _ in range(a.warmup):
        step()
    started = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "model": a.model,
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                # Debian's torch multiplies matrices with whatever libblas.so.3 points at: the
                # reference BLAS unless an optimized one (libopenblas0-pthread) is installed.
                "blas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
                "params": sum(p.numel() for p in model.parameters()),
                "forwardFlopsPerSample": forward_flops(model, x),
                "samplesPerSecond": a.steps * a.batch / seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
