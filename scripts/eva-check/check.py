"""Checks EAGLE's EVA01 and OpenCLIP encoders against PyTorch towers written here, independently of EAGLE's
Java code, from the public description of the models (core/EVA.md; EVA-CLIP's EVAVisionTransformer, LAVIS's
eva_vit.py and OpenAI/OpenCLIP's VisionTransformer were read, not copied). It loads the files EAGLE writes or
the gateway serves, runs the same preprocessed pixels EAGLE ran (java.json from EvaCheckDump.java) and
compares the features.

Usage:
  check.py eva DUMP_DIR [--lavis visual_encoder.safetensors] [--eva eva-clip-or-visual.safetensors] [--perturb]
  check.py openclip DUMP_DIR --folder OPENCLIP_FOLDER [--perturb]

  eva:      --lavis  LAVIS's `visual_encoder.*` file (blocks 0..L-2, no norm/head; the gateway's
                     /lavis/visual_encoder.safetensors): our LAVIS-style tower of depth L-1 must load it
                     strictly and reproduce EAGLE's blip2_tokens (what BLIP-2's Q-Former reads, before ln_vision)
            --eva    EVA-CLIP's names, `visual.`-prefixed (a whole EVA-CLIP checkpoint, text tower ignored) or
                     not (the gateway's /visual/weights): the whole tower must reproduce EAGLE's CLS feature
                     head(norm(x_0)) and patch features head(norm(x_p)), and blip2_tokens after L-1 blocks
            with both, the LAVIS tensors must equal the EVA-CLIP file's, bit for bit
  openclip: the folder's open_clip_config.json is read here (quick_gelu, sizes, eps) and its
            open_clip_model.safetensors `visual.*` loaded strictly into our OpenAI-structured tower; its CLS
            ln_post(x_0) @ proj and patches ln_post(x_p) @ proj must reproduce EAGLE's
  --upstream-lavis  also builds LAVIS's own VisionTransformer (lavis.models.eva_vit, importable on PYTHONPATH: check.sh
            puts it there from LAVIS_GIT with the stand-ins of upstream_shims/) as create_eva_vit_g configures it,
            at the file's sizes, loads the LAVIS file into it strictly and compares its forward with EAGLE's
  --upstream-eva  also builds EVA-CLIP's own EVAVisionTransformer (eva_clip.eva_vit_model, from EVA_GIT) as its
            model.py does for an EVA01 config (CLS token, q/v bias, LayerNorm eps 1e-6, no layer scale, no rope,
            xattn off: the plain path of the same attention), loads the EVA-CLIP-named file strictly and compares
            forward (CLS) and head(norm(forward_features(return_all_features=True))) (patches) with EAGLE's
  --perturb adds 0.01 to one element of the first block's attention output bias after loading (EVA's
            blocks.0.attn.proj.bias, OpenCLIP's transformer.resblocks.0.attn.out_proj.bias), to show that the
            check can fail: it must then exit 1

Heads come from EAGLE's config in java.json (a file's shapes do not determine them); every other size comes
from the weights' shapes or the OpenCLIP config. The reference runs in float64; EAGLE runs float32.
Exit status 0 = every comparison within TOL.
"""
import argparse
import json
import math
import os
import sys
from functools import partial

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

TOL = 1e-5  # absolute, on every element (issue #20 item 4)


def import_safetensors():
    """The safetensors package, or scripts/hf-check's pure-Python stand-in when it is not installed."""
    try:
        import safetensors.torch  # noqa: F401
    except ImportError:
        import importlib.util
        shim = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hf-check", "safetensors_shim")
        spec = importlib.util.spec_from_file_location("safetensors", os.path.join(shim, "__init__.py"),
                                                      submodule_search_locations=[shim])
        module = importlib.util.module_from_spec(spec)
        sys.modules["safetensors"] = module
        spec.loader.exec_module(module)
    import safetensors
    import safetensors.torch
    return safetensors


safetensors = import_safetensors()
failures = []


def load_file(path):
    return {k: v.double() for k, v in safetensors.torch.load_file(path).items()}


def layer_norm(x, weight, bias, eps):
    return F.layer_norm(x, (x.shape[-1],), weight, bias, eps)


def gelu(x):  # the exact (erf) GELU, nn.GELU's default
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def quick_gelu(x):  # OpenAI CLIP's approximation
    return x * torch.sigmoid(1.702 * x)


def attention(x, wq, bq, wk, bk, wv, bv, wo, bo, heads):
    """Plain multi-head self-attention over (B, T, W) with separate q/k/v projections."""
    b, t, w = x.shape
    hd = w // heads

    def split(y):  # (B, T, W) -> (B, H, T, W/H)
        return y.view(b, t, heads, hd).permute(0, 2, 1, 3)

    q = split(x @ wq.T + bq) / math.sqrt(hd)
    k = split(x @ wk.T + bk)
    v = split(x @ wv.T + bv)
    weights = torch.softmax(q @ k.transpose(-1, -2), dim=-1)  # (B, H, T, T)
    mixed = (weights @ v).permute(0, 2, 1, 3).reshape(b, t, w)
    return mixed @ wo.T + bo


# ---- EVA01 -------------------------------------------------------------------------------------------------

class EvaBlock(nn.Module):
    """Pre-LN block, EVA's parameter names: the attention input projection `qkv` has no bias of its own; the
    queries and values get `q_bias` and `v_bias`, the keys none."""

    def __init__(self, width, heads, mlp, eps):
        super().__init__()
        self.heads, self.eps = heads, eps
        self.norm1 = nn.LayerNorm(width, eps=eps)
        self.attn = nn.Module()
        self.attn.qkv = nn.Linear(width, 3 * width, bias=False)
        self.attn.q_bias = nn.Parameter(torch.zeros(width))
        self.attn.v_bias = nn.Parameter(torch.zeros(width))
        self.attn.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width, eps=eps)
        self.mlp = nn.Module()
        self.mlp.fc1 = nn.Linear(width, mlp)
        self.mlp.fc2 = nn.Linear(mlp, width)

    def forward(self, x):
        w = x.shape[-1]
        h = self.norm1(x)
        wq, wk, wv = self.attn.qkv.weight[:w], self.attn.qkv.weight[w:2 * w], self.attn.qkv.weight[2 * w:]
        zero = torch.zeros_like(self.attn.q_bias)
        x = x + attention(h, wq, self.attn.q_bias, wk, zero, wv, self.attn.v_bias,
                          self.attn.proj.weight, self.attn.proj.bias, self.heads)
        h = self.norm2(x)
        return x + self.mlp.fc2(gelu(self.mlp.fc1(h)))


class EvaTower(nn.Module):
    """EVA01's image tower: a biased patch convolution, the class token, absolute positions (no pre-norm),
    `depth` blocks; with_head adds the final `norm` and the `head` Linear to the joint width (EVA-CLIP's
    layout; LAVIS's has neither and one block fewer)."""

    def __init__(self, image, patch, width, depth, heads, mlp, eps, embed=None):
        super().__init__()
        grid = image // patch
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, width, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, width))
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, width))
        self.blocks = nn.ModuleList([EvaBlock(width, heads, mlp, eps) for _ in range(depth)])
        if embed is not None:
            self.norm = nn.LayerNorm(width, eps=eps)
            self.head = nn.Linear(width, embed)

    def tokens(self, pixels, depth=None):  # (B, 3, S, S) -> (B, P+1, W)
        x = self.patch_embed.proj(pixels).flatten(2).transpose(1, 2)  # (B, P, W), row-major patches
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for block in self.blocks[:depth]:
            x = block(x)
        return x

    def features(self, pixels):  # -> CLS (B, D), patches (B, P, D): norm and head on every token
        y = self.head(self.norm(self.tokens(pixels)))
        return y[:, 0], y[:, 1:]


def eva_sizes(state, heads):
    w, _, p, _ = state["patch_embed.proj.weight"].shape
    tokens = state["pos_embed"].shape[1]
    grid = math.isqrt(tokens - 1)
    depth = len({k.split(".")[1] for k in state if k.startswith("blocks.")})
    mlp = state["blocks.0.mlp.fc1.weight"].shape[0]
    return dict(image=grid * p, patch=p, width=w, depth=depth, heads=heads, mlp=mlp)


def load_strict(module, state, what):
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as e:
        failures.append(f"{what}: {e}")
        print(f"  {what}: load_state_dict(strict=True) FAILED: {e}")
        return False
    print(f"  {what}: load_state_dict(strict=True) took all {len(state)} tensors")
    return True


def report(what, ours, theirs):
    ours, theirs = ours.double(), theirs.double()
    if tuple(ours.shape) != tuple(theirs.shape):
        failures.append(f"{what}: shape {tuple(ours.shape)} vs {tuple(theirs.shape)}")
        print(f"  {what}: SHAPE MISMATCH EAGLE {tuple(ours.shape)} vs PyTorch {tuple(theirs.shape)}")
        return
    diff = (ours - theirs).abs().max().item()
    ok = diff <= TOL
    if not ok:
        failures.append(f"{what}: max |diff| {diff:.3g} > {TOL}")
    print(f"  {what}: shape {tuple(theirs.shape)}, max |diff| {diff:.3g} "
          f"(max |value| {theirs.abs().max().item():.3g}) {'OK' if ok else 'MISMATCH'}")


def perturb(module, name):
    with torch.no_grad():
        dict(module.named_parameters())[name].view(-1)[0] += 0.01
    print(f"  --perturb: added 0.01 to {name}[0]; this run must FAIL")


def check_eva(args, java):
    cfg = java["config"]["vision"]
    heads, eps = cfg["heads"], cfg["layerNormEps"]
    pixels = arr(java, "pixels")
    blip2 = arr(java, "blip2_tokens")
    layers = cfg["layers"]
    lavis_state = eva_state = None
    if args.lavis:
        print(f"\nLAVIS visual_encoder file {args.lavis}")
        raw = load_file(args.lavis)
        bad = [k for k in raw if not k.startswith("visual_encoder.")]
        if bad:
            failures.append(f"LAVIS file names outside visual_encoder.: {bad}")
        lavis_state = {k[len("visual_encoder."):]: v for k, v in raw.items()}
        sizes = eva_sizes(lavis_state, heads)
        print(f"  sizes from the shapes: {sizes}; heads {heads}, eps {eps} from EAGLE's config")
        if sizes["depth"] != layers - 1:
            failures.append(f"LAVIS file has {sizes['depth']} blocks, expected {layers - 1} (L-1)")
        tower = EvaTower(eps=eps, **sizes).double()
        if load_strict(tower, lavis_state, "LAVIS-layout tower (no norm/head)"):
            if args.perturb:
                perturb(tower, "blocks.0.attn.proj.bias")
            report("LAVIS tower forward_features (all P+1 tokens) vs EAGLE tokens(pixels, L-1)",
                   blip2, tower.tokens(pixels))
        if args.upstream_lavis:
            check_upstream_lavis(lavis_state, sizes, eps, blip2, pixels, args.perturb)
    if args.eva:
        print(f"\nEVA-CLIP-named file {args.eva}")
        raw = load_file(args.eva)
        prefixed = any(k.startswith("visual.") for k in raw)
        eva_state = {k[len("visual."):]: v for k, v in raw.items() if k.startswith("visual.")} if prefixed \
            else raw
        sizes = eva_sizes(eva_state, heads)
        embed = eva_state["head.weight"].shape[0]
        print(f"  sizes from the shapes: {sizes}, joint width {embed}; heads {heads}, eps {eps} from EAGLE's config")
        tower = EvaTower(eps=eps, embed=embed, **sizes).double()
        if load_strict(tower, eva_state, "EVA-CLIP-layout tower (with norm and head)"):
            if args.perturb:
                perturb(tower, "blocks.0.attn.proj.bias")
            cls, patches = tower.features(pixels)
            report("head(norm(x_0)) vs EAGLE ImageFeatures.cls", arr(java, "cls"), cls)
            report("head(norm(x_p)) vs EAGLE ImageFeatures.patches", arr(java, "patches"), patches)
            report("tokens after blocks 0..L-2 vs EAGLE tokens(pixels, L-1)", blip2, tower.tokens(pixels, layers - 1))
        if args.upstream_eva:
            check_upstream_eva(eva_state, sizes, embed, eps, java, pixels, args.perturb)
    if lavis_state is not None and eva_state is not None:
        carried = [k for k in eva_state if not k.startswith(("norm.", "head.", f"blocks.{layers - 1}."))]
        same = sorted(carried) == sorted(lavis_state) and all(torch.equal(eva_state[k], lavis_state[k])
                                                              for k in carried)
        print(f"\n  LAVIS tensors == the EVA-CLIP file's (less block {layers - 1}, norm, head), bit for bit: {same}")
        if not same:
            failures.append("the LAVIS file's tensors differ from the EVA-CLIP file's")
    if not args.lavis and not args.eva:
        failures.append("eva: give --lavis and/or --eva")


def check_upstream_lavis(state, sizes, eps, blip2, pixels, perturb_it):
    """LAVIS's own module, configured as its create_eva_vit_g does (use_mean_pooling False, qkv_bias True,
    LayerNorm eps 1e-6 from the config, no drop path) at the LAVIS file's sizes."""
    from lavis.models import eva_vit
    print(f"  upstream: {eva_vit.__file__}")
    model = eva_vit.VisionTransformer(
        img_size=sizes["image"], patch_size=sizes["patch"], use_mean_pooling=False, embed_dim=sizes["width"],
        depth=sizes["depth"], num_heads=sizes["heads"], mlp_ratio=mlp_ratio(sizes), qkv_bias=True,
        drop_path_rate=0.0, norm_layer=partial(nn.LayerNorm, eps=eps)).double().eval()
    if load_strict(model, state, "LAVIS's eva_vit.VisionTransformer"):
        if perturb_it:
            perturb(model, "blocks.0.attn.proj.bias")
        report("LAVIS's eva_vit.VisionTransformer forward (all P+1 tokens) vs EAGLE tokens(pixels, L-1)",
               blip2, model(pixels))


def check_upstream_eva(state, sizes, embed, eps, java, pixels, perturb_it):
    """EVA-CLIP's own module, configured as its model.py builds an EVA01 vision tower, at the file's sizes."""
    from eva_clip import eva_vit_model
    print(f"  upstream: {eva_vit_model.__file__}")
    model = eva_vit_model.EVAVisionTransformer(
        img_size=sizes["image"], patch_size=sizes["patch"], num_classes=embed, use_mean_pooling=False,
        init_values=None, patch_dropout=0.0, embed_dim=sizes["width"], depth=sizes["depth"],
        num_heads=sizes["heads"], mlp_ratio=mlp_ratio(sizes), qkv_bias=True, drop_path_rate=0.0,
        norm_layer=partial(nn.LayerNorm, eps=eps), xattn=False, rope=False, postnorm=False, naiveswiglu=False,
        subln=False).double().eval()
    if load_strict(model, state, "EVA-CLIP's EVAVisionTransformer"):
        if perturb_it:
            perturb(model, "blocks.0.attn.proj.bias")
        report("EVA-CLIP's EVAVisionTransformer forward (head(norm(x)[:, 0])) vs EAGLE ImageFeatures.cls",
               arr(java, "cls"), model(pixels))
        tokens = model.forward_features(pixels, return_all_features=True)
        report("EVA-CLIP's head(norm(forward_features(all))[:, 1:]) vs EAGLE ImageFeatures.patches",
               arr(java, "patches"), model.head(model.norm(tokens))[:, 1:])


def mlp_ratio(sizes):
    """A ratio r with int(width * r) == the MLP width, as the upstream blocks compute it."""
    width, mlp = sizes["width"], sizes["mlp"]
    ratio = mlp / width
    while int(width * ratio) < mlp:
        ratio = math.nextafter(ratio, math.inf)
    return ratio


# ---- OpenCLIP (OpenAI CLIP's structure) --------------------------------------------------------------------

class ClipBlock(nn.Module):
    def __init__(self, width, heads, act, eps):
        super().__init__()
        self.heads, self.act = heads, act
        self.ln_1 = nn.LayerNorm(width, eps=eps)
        self.attn = nn.Module()
        self.attn.in_proj_weight = nn.Parameter(torch.zeros(3 * width, width))
        self.attn.in_proj_bias = nn.Parameter(torch.zeros(3 * width))
        self.attn.out_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width, eps=eps)
        self.mlp = nn.Module()
        self.mlp.c_fc = nn.Linear(width, 4 * width)
        self.mlp.c_proj = nn.Linear(4 * width, width)

    def forward(self, x):
        w = x.shape[-1]
        wq, wk, wv = self.attn.in_proj_weight.split(w)
        bq, bk, bv = self.attn.in_proj_bias.split(w)
        x = x + attention(self.ln_1(x), wq, bq, wk, bk, wv, bv, self.attn.out_proj.weight,
                          self.attn.out_proj.bias, self.heads)
        return x + self.mlp.c_proj(self.act(self.mlp.c_fc(self.ln_2(x))))


class ClipTower(nn.Module):
    """OpenAI CLIP's image tower as OpenCLIP names it: unbiased conv1, class_embedding, positional_embedding,
    ln_pre, transformer.resblocks, ln_post, proj (W, D)."""

    def __init__(self, image, patch, width, layers, heads, embed, act, eps):
        super().__init__()
        grid = image // patch
        self.conv1 = nn.Conv2d(3, width, patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.zeros(width))
        self.positional_embedding = nn.Parameter(torch.zeros(grid * grid + 1, width))
        self.ln_pre = nn.LayerNorm(width, eps=eps)
        self.transformer = nn.Module()
        self.transformer.resblocks = nn.ModuleList([ClipBlock(width, heads, act, eps) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width, eps=eps)
        self.proj = nn.Parameter(torch.zeros(width, embed))

    def features(self, pixels):
        x = self.conv1(pixels).flatten(2).transpose(1, 2)  # (B, P, W)
        x = torch.cat([self.class_embedding.expand(x.shape[0], 1, -1), x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        for block in self.transformer.resblocks:
            x = block(x)
        y = self.ln_post(x) @ self.proj
        return y[:, 0], y[:, 1:]


def check_openclip(args, java):
    with open(os.path.join(args.folder, "open_clip_config.json")) as fh:
        cfg = json.load(fh)["model_cfg"]
    v = cfg["vision_cfg"]
    quick = bool(cfg.get("quick_gelu", False))
    width = v.get("width", 768)
    sizes = dict(image=v.get("image_size", 224), patch=v.get("patch_size", 16), width=width,
                 layers=v.get("layers", 12), heads=width // v.get("head_width", 64), embed=cfg["embed_dim"],
                 eps=v.get("norm_kwargs", {}).get("eps", 1e-5))
    if v.get("mlp_ratio", 4.0) != 4.0:
        failures.append("this check's OpenCLIP tower has MLP ratio 4 only")
    print(f"\nOpenCLIP folder {args.folder}: quick_gelu {quick} -> {'QuickGELU' if quick else 'GELU'}; {sizes}")
    raw = load_file(os.path.join(args.folder, "open_clip_model.safetensors"))
    state = {k[len("visual."):]: t for k, t in raw.items() if k.startswith("visual.")}
    pixels = arr(java, "pixels")
    results = {}
    for name, act in (("as configured", quick_gelu if quick else gelu),
                      ("with the other activation", gelu if quick else quick_gelu)):
        tower = ClipTower(act=act, **sizes).double()
        if not load_strict(tower, state, f"OpenAI-structured tower ({name})"):
            return
        if args.perturb and name == "as configured":
            perturb(tower, "transformer.resblocks.0.attn.out_proj.bias")
        results[name] = tower.features(pixels)
    cls, patches = results["as configured"]
    report("ln_post(x_0) @ proj vs EAGLE ImageFeatures.cls", arr(java, "cls"), cls)
    report("ln_post(x_p) @ proj vs EAGLE ImageFeatures.patches", arr(java, "patches"), patches)
    other = (results["with the other activation"][0] - arr(java, "cls").double()).abs().max().item()
    print(f"  (information: the other activation would differ from EAGLE's CLS by {other:.3g}, so the check "
          f"sees a wrong activation)")
    if other <= TOL:
        failures.append("GELU and QuickGELU give the same features: the activation is not checked")


def arr(java, name):
    return torch.tensor(np.asarray(java[name], dtype=np.float32).reshape(java[name + "_shape"])).double()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["eva", "openclip"])
    parser.add_argument("dump", help="folder with EvaCheckDump's java.json")
    parser.add_argument("--lavis")
    parser.add_argument("--eva")
    parser.add_argument("--folder")
    parser.add_argument("--perturb", action="store_true")
    parser.add_argument("--upstream-lavis", action="store_true")
    parser.add_argument("--upstream-eva", action="store_true")
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    print(f"python {sys.version.split()[0]}, torch {torch.__version__}, numpy {np.__version__}, "
          f"safetensors {getattr(safetensors, '__version__', '?')} ({safetensors.__file__})")
    with open(os.path.join(args.dump, "java.json")) as fh:
        java = json.load(fh)
    print(f"EAGLE's features of {java['model']} ({java['family']})")
    if args.kind == "eva":
        if java["family"] != "eva01-clip":
            failures.append(f"the dump is of an {java['family']} model, not eva01-clip")
        else:
            check_eva(args, java)
    else:
        if not args.folder:
            failures.append("openclip: give --folder")
        else:
            check_openclip(args, java)
    print()
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"OK: the independent PyTorch tower loads the files strictly and reproduces EAGLE's features within {TOL}")


if __name__ == "__main__":
    main()
