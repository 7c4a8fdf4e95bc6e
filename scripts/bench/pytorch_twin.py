#!/usr/bin/env python3
"""The EAGLE training step of eagle.core.train.EagleTrainer, written in PyTorch eager.

`./eagle bench core --against-pytorch` runs this right after the Java steps, on a folder the Java
benchmark wrote (scenes/src/main/java/eagle/scenes/bench/PytorchTwin.java):

  params.safetensors  the model's parameters before any step (OpenAI CLIP names)
  data.safetensors    prompts (C, L); for every step i: pixels.i (B, 3, S, S), coverage.i (N, P),
                      image.i (N), label.i (N)  (ids as float32)
  twin.json           the model config and the step's sizes and hyper-parameters

and trains exactly that: the attention and MLP matrices of both towers' residual blocks,
logit_scale and the sigmoid loss's scale and bias (docs/METHOD.md §4), with masked average pooling
(§2) and L = L_ins + L_ce (§3), GaLore-AdamW (§5; basis from the SVD of the first step's gradient,
refreshed every galoreUpdateGap steps) or AdamW (torch.optim.AdamW), the same cosine schedule. For
each optimizer it prints one JSON line: images/s over the timed steps, the loss of the first and of
the last step (to compare with the Java step's); before them one line with torch's version, threads
and its 512×512×512 float32 GEMM rate (Debian's torch calls libblas.so.3, which is the slow
reference BLAS unless OpenBLAS is installed: compare it with the Java engine's GEMM rate).

Shapes: B images, N instances, P patches, D joint width, C classes, L context, W tower width.
Runs on Debian's python3-torch (1.13); `apt-get install python3-torch` when it is missing.
"""
import argparse
import json
import math
import re
import struct
import time

import torch
import torch.nn.functional as F

GALORE_TARGET = re.compile(
    r"(visual\.)?transformer\.resblocks\.\d+\."
    r"(attn\.in_proj_weight|attn\.out_proj\.weight|mlp\.c_fc\.weight|mlp\.c_proj\.weight)")
MAX_LOGIT_SCALE = 100.0
MASK_MARGIN = 1000.0


def read_safetensors(path):
    """Every F32 tensor of a safetensors file, by name."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        flat = torch.frombuffer(data, dtype=torch.float32, offset=begin, count=(end - begin) // 4)
        out[name] = flat.reshape(entry["shape"]).clone()
    return out


# ---- the model (docs/METHOD.md §1), functional over the parameter dict --------------------------

def activate(x, kind):
    return x * torch.sigmoid(1.702 * x) if kind == "QUICK_GELU" else F.gelu(x)


def block(p, prefix, x, heads, eps, kind, mask):
    """x + attn(ln_1(x)), then + mlp(ln_2(x)): (B, T, W) → (B, T, W)."""
    b, t, w = x.shape
    hw = w // heads
    h = F.layer_norm(x, (w,), p[prefix + "ln_1.weight"], p[prefix + "ln_1.bias"], eps)
    qkv = F.linear(h, p[prefix + "attn.in_proj_weight"], p[prefix + "attn.in_proj_bias"])  # (B, T, 3W)
    q, k, v = qkv.split(w, dim=2)
    q = q.reshape(b, t, heads, hw).transpose(1, 2)  # (B, H, T, W/H)
    k = k.reshape(b, t, heads, hw).permute(0, 2, 3, 1)  # (B, H, W/H, T)
    v = v.reshape(b, t, heads, hw).transpose(1, 2)  # (B, H, T, W/H)
    scores = (q @ k) * (1.0 / math.sqrt(hw))  # (B, H, T, T)
    if mask is not None:
        scores = scores + mask
    mixed = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, w)  # (B, T, W)
    x = x + F.linear(mixed, p[prefix + "attn.out_proj.weight"], p[prefix + "attn.out_proj.bias"])
    h = F.layer_norm(x, (w,), p[prefix + "ln_2.weight"], p[prefix + "ln_2.bias"], eps)
    h = activate(F.linear(h, p[prefix + "mlp.c_fc.weight"], p[prefix + "mlp.c_fc.bias"]), kind)
    return x + F.linear(h, p[prefix + "mlp.c_proj.weight"], p[prefix + "mlp.c_proj.bias"])


def encode_image(p, vision, pixels):
    """(B, 3, S, S) → cls (B, D), patches (B, P, D)."""
    b = pixels.shape[0]
    w, eps = vision["width"], vision["layerNormEps"]
    x = F.conv2d(pixels, p["visual.conv1.weight"], stride=vision["patchSize"])  # (B, W, g, g)
    x = x.flatten(2).transpose(1, 2)  # (B, P, W)
    cls = p["visual.class_embedding"].reshape(1, 1, w).expand(b, 1, w)
    x = torch.cat([cls, x], 1) + p["visual.positional_embedding"]  # (B, P+1, W)
    x = F.layer_norm(x, (w,), p["visual.ln_pre.weight"], p["visual.ln_pre.bias"], eps)
    for i in range(vision["layers"]):
        x = block(p, f"visual.transformer.resblocks.{i}.", x, vision["heads"], eps,
                  vision["activation"], None)
    x = F.layer_norm(x, (w,), p["visual.ln_post.weight"], p["visual.ln_post.bias"], eps)
    x = x @ p["visual.proj"]  # (B, P+1, D)
    return x[:, 0], x[:, 1:]


def encode_text(p, text, tokens, mask):
    """(C, L) ids → (C, D) at each row's end-of-text token."""
    c, t = tokens.shape
    w, eps = text["width"], text["layerNormEps"]
    x = p["token_embedding.weight"][tokens] + p["positional_embedding"][:t]  # (C, L, W)
    for i in range(text["layers"]):
        x = block(p, f"transformer.resblocks.{i}.", x, text["heads"], eps, text["activation"], mask)
    x = F.layer_norm(x, (w,), p["ln_final.weight"], p["ln_final.bias"], eps)
    return x[torch.arange(c), tokens.argmax(-1)] @ p["text_projection"]  # (C, D)


# ---- masked average pooling (§2) and the loss (§3) ----------------------------------------------

def pool(patches, image, coverage, tau):
    """v (N, D): the normalised mean of the patches with coverage > τ (else the best-covered one)."""
    selected = (coverage > tau).float()  # (N, P)
    count = selected.sum(1, keepdim=True)
    best = F.one_hot(coverage.argmax(1), coverage.shape[1]).float()
    weights = torch.where(count > 0, selected / count.clamp(min=1), best)  # (N, P)
    pooled = torch.bmm(weights.unsqueeze(1), patches[image]).squeeze(1)  # (N, 1, P)(N, P, D) → (N, D)
    return F.normalize(pooled, dim=-1)


def softplus(x):
    positive = (x > 0).to(x.dtype)
    return x * positive + torch.log1p(torch.exp(-x.abs()))


def eagle_loss(v, t, labels, logit_scale, sigmoid_scale, sigmoid_bias):
    n, c = v.shape[0], t.shape[0]
    y = F.one_hot(labels, c).to(v.dtype)  # (N, C)
    cosine = v @ t.T  # (N, C)
    # L_ins: image-to-text cross-entropy and text-to-instance with same-class instances left out
    z = cosine * logit_scale.exp().clamp(max=MAX_LOGIT_SCALE)
    i2t = -(z.log_softmax(1) * y).sum() / n
    per_class = y.sum(0)  # (C)
    present = (per_class > 0).sum()
    negative = 1 - y
    fill = z.detach().min() - MASK_MARGIN
    z_neg = z * negative + y * fill
    column_max = z_neg.max(0, keepdim=True).values.detach()  # (1, C)
    no_negatives = (per_class == n).to(v.dtype).unsqueeze(0)
    negative_lse = column_max + (((z_neg - column_max).exp() * negative).sum(0, keepdim=True)
                                 + no_negatives).log()
    weights = y / (per_class.clamp(min=1) * present).unsqueeze(0)
    t2i = (softplus(negative_lse - z) * y * weights).sum()
    ins = (i2t + t2i) / 2
    # L_ce: SigLIP-style binary cross-entropy over every (instance, class) pair
    x = cosine * sigmoid_scale.exp() + sigmoid_bias
    ce = (softplus(x) - y * x).mean()
    return ins + ce


# ---- optimizers (§5) ----------------------------------------------------------------------------

class GaloreAdamW:
    """GaLore-AdamW as eagle.core.optim.GaloreAdamW: Adam in the rank-r projection of each block
    matrix's gradient, ε on the raw root, weight decay after the update; plain lines otherwise."""

    def __init__(self, params, cfg):
        self.params = params  # name → tensor
        self.rank, self.gap, self.scale = cfg["galoreRank"], cfg["galoreUpdateGap"], cfg["galoreScale"]
        self.b1, self.b2, self.eps, self.wd = cfg["beta1"], cfg["beta2"], cfg["galoreEps"], cfg["weightDecay"]
        self.state = {}
        self.steps = 0

    @torch.no_grad()
    def step(self, lr):
        s, t = self.steps, self.steps + 1
        step_size = lr * math.sqrt(1 - self.b2 ** t) / (1 - self.b1 ** t)
        for name, w in self.params.items():
            g = w.grad
            st = self.state.setdefault(name, {})
            target = GALORE_TARGET.fullmatch(name) is not None
            r = g
            if target:
                m, n = g.shape
                right = m >= n
                if "basis" not in st or s % self.gap == 0:
                    u, _, vh = torch.linalg.svd(g.double(), full_matrices=False)
                    k = min(self.rank, m, n)
                    st["basis"] = (vh[:k] if right else u[:, :k]).to(g.dtype)  # (r, n) or (m, r)
                basis = st["basis"]
                r = g @ basis.T if right else basis.T @ g  # (m, r) or (r, n)
            if "exp_avg" not in st:
                st["exp_avg"], st["exp_avg_sq"] = torch.zeros_like(r), torch.zeros_like(r)
            st["exp_avg"].mul_(self.b1).add_(r, alpha=1 - self.b1)
            st["exp_avg_sq"].mul_(self.b2).addcmul_(r, r, value=1 - self.b2)
            update = st["exp_avg"] / (st["exp_avg_sq"].sqrt() + self.eps)
            if target:
                update = (update @ basis if right else basis @ update) * self.scale
            w.sub_(update * step_size)
            if self.wd > 0:
                w.sub_(w * (lr * self.wd))
        self.steps = t

    def state_bytes(self):
        return sum(x.numel() * x.element_size() for st in self.state.values() for x in st.values())


class TorchAdamW:
    """torch.optim.AdamW, which eagle.core.optim.AdamW follows step for step."""

    def __init__(self, params, cfg):
        self.optimizer = torch.optim.AdamW(
            list(params.values()), lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]),
            eps=cfg["adamEps"], weight_decay=cfg["weightDecay"])

    def step(self, lr):
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.optimizer.step()

    def state_bytes(self):
        return sum(x.numel() * x.element_size() for st in self.optimizer.state.values()
                   for x in st.values() if torch.is_tensor(x) and x.dim() > 0)


def cosine_lr(step, warmup, total, peak, low):
    """eagle.core.optim.LearningRateSchedule.cosine."""
    if step < warmup:
        return peak * (step + 1) / (warmup + 1)
    if step > total:
        return low
    ratio = (step - warmup) / (total - warmup)
    return low + 0.5 * (1 + math.cos(math.pi * ratio)) * (peak - low)


def train(folder, cfg, optimizer_name):
    model = cfg["config"]
    p = read_safetensors(f"{folder}/params.safetensors")
    data = read_safetensors(f"{folder}/data.safetensors")
    p["loss.sigmoid_logit_scale"] = torch.tensor(float(cfg["sigmoidLogitScale"]))
    p["loss.sigmoid_bias"] = torch.tensor(float(cfg["sigmoidBias"]))
    trained = {}
    for name, tensor in p.items():
        train_it = (name in ("logit_scale", "loss.sigmoid_logit_scale", "loss.sigmoid_bias")
                    or (GALORE_TARGET.fullmatch(name) is not None
                        and (cfg["trainText"] or name.startswith("visual."))))
        tensor.requires_grad_(train_it)
        if train_it:
            trained[name] = tensor
    optimizer = GaloreAdamW(trained, cfg) if optimizer_name == "galore" else TorchAdamW(trained, cfg)
    prompts = data["prompts"].long()  # (C, L)
    length = prompts.shape[1]
    mask = torch.full((length, length), float("-inf")).triu(1)  # (L, L) causal
    batches = [(data[f"pixels.{i}"], data[f"coverage.{i}"], data[f"image.{i}"].long(),
                data[f"label.{i}"].long()) for i in range(cfg["warmup"] + cfg["steps"])]
    losses = []
    start = None
    for i, (pixels, coverage, image, labels) in enumerate(batches):
        if i == cfg["warmup"]:
            start = time.perf_counter()
        lr = cosine_lr(i, cfg["warmupSteps"], cfg["totalSteps"], cfg["lr"], cfg["lr"] * cfg["minLrRatio"])
        _, patches = encode_image(p, model["vision"], pixels)
        v = pool(patches, image, coverage, cfg["tau"])  # (N, D)
        t = F.normalize(encode_text(p, model["text"], prompts, mask), dim=-1)  # (C, D)
        loss = eagle_loss(v, t, labels, p["logit_scale"], p["loss.sigmoid_logit_scale"],
                          p["loss.sigmoid_bias"])
        loss.backward()
        optimizer.step(lr)
        for tensor in trained.values():
            tensor.grad = None
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    return {
        "optimizer": optimizer_name,
        "imagesPerSecond": cfg["steps"] * cfg["batch"] / seconds,
        "msPerStep": 1000 * seconds / cfg["steps"],
        "firstLoss": losses[0],
        "lastLoss": losses[-1],
        "stateBytes": optimizer.state_bytes(),
    }


def gemm_flops(n=512, reps=20):
    """Sustained float32 matmul FLOP/s, as the Java benchmark measures its engine's."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(reps):
        a @ b
    return reps * 2.0 * n ** 3 / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", required=True, help="the folder the Java benchmark wrote")
    parser.add_argument("--threads", type=int, required=True, help="intra-op threads, as the Java step's")
    parser.add_argument("--optimizers", default="galore,adamw")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    with open(f"{args.dir}/twin.json") as f:
        cfg = json.load(f)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "gemmFlops": gemm_flops()}), flush=True)
    for name in args.optimizers.split(","):
        print(json.dumps(train(args.dir, cfg, name)), flush=True)


if __name__ == "__main__":
    main()
