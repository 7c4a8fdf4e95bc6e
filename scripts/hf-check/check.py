"""Loads EAGLE's Hugging Face export with the real transformers code and compares its features with those
EAGLE's Java encoder computed (java.json from HfCheckDump.java) on the same preprocessed pixel tensor.

Usage: python3 check.py HF_FOLDER DUMP_FOLDER      (see check.sh; exit 0 = everything matched)
"""
import json
import sys

import numpy as np
import torch

TOL = 1e-4  # float32 through 4 blocks; observed differences are ~1e-6

folder, dump = sys.argv[1], sys.argv[2]
failures = []

import huggingface_hub
import safetensors
import transformers
from transformers import (CLIPImageProcessor, CLIPModel, CLIPVisionModel, CLIPVisionModelWithProjection)

print(f"python {sys.version.split()[0]}, torch {torch.__version__}, numpy {np.__version__}, "
      f"transformers {transformers.__version__} ({transformers.__file__}), "
      f"huggingface_hub {huggingface_hub.__version__}, safetensors {safetensors.__version__} ({safetensors.__file__})")
torch.set_grad_enabled(False)

with open(f"{dump}/java.json") as fh:
    java = json.load(fh)


def arr(name):
    return torch.tensor(np.asarray(java[name], dtype=np.float32).reshape(java[name + "_shape"]))


def report(what, ours, theirs):
    ours, theirs = ours.float(), theirs.float()
    if tuple(ours.shape) != tuple(theirs.shape):
        failures.append(f"{what}: shape {tuple(ours.shape)} vs {tuple(theirs.shape)}")
        print(f"  {what}: SHAPE MISMATCH {tuple(ours.shape)} vs {tuple(theirs.shape)}")
        return
    diff = (ours - theirs).abs().max().item()
    scale = theirs.abs().max().item()
    ok = diff <= TOL * max(1.0, scale)
    if not ok:
        failures.append(f"{what}: max |diff| {diff:.3g}")
    print(f"  {what}: shape {tuple(theirs.shape)}, max |diff| {diff:.3g} (max |value| {scale:.3g}) "
          f"{'OK' if ok else 'MISMATCH'}")


def load(cls, expect_unexpected_prefixes=()):
    model, info = cls.from_pretrained(folder, output_loading_info=True)
    model.eval()
    unexpected = sorted(info["unexpected_keys"])
    surprising = [k for k in unexpected if not k.startswith(tuple(expect_unexpected_prefixes))]
    print(f"{cls.__name__}.from_pretrained: missing {sorted(info['missing_keys'])}, "
          f"mismatched {info['mismatched_keys']}, errors {info['error_msgs']}, "
          f"unexpected {len(unexpected)} ({len(unexpected) - len(surprising)} expected text-tower/head weights)"
          + (f", other unexpected {surprising}" if surprising else ""))
    if info["missing_keys"] or info["mismatched_keys"] or info["error_msgs"] or surprising:
        failures.append(f"{cls.__name__}: loading info {info}")
    return model


pixels = arr("pixels")
cls_java, patches_java, text_java = arr("cls"), arr("patches"), arr("text")
tokens = torch.tensor(java["tokens"], dtype=torch.long)

print("\nCLIPModel (both towers)")
clip = load(CLIPModel)
image_features = clip.get_image_features(pixel_values=pixels)
report("get_image_features vs our ImageFeatures.cls", cls_java, image_features)
vout = clip.vision_model(pixel_values=pixels, output_hidden_states=True)
patches = clip.visual_projection(clip.vision_model.post_layernorm(vout.last_hidden_state[:, 1:]))
report("visual_projection(post_layernorm(last_hidden_state[:, 1:])) vs our ImageFeatures.patches",
       patches_java, patches)
text_features = clip.get_text_features(input_ids=tokens)
report(f"get_text_features({tuple(tokens.shape)} word ids) vs our encodeText", text_java, text_features)
ls = java["logit_scale"]
print(f"  logit_scale: ours {ls:.7g}, transformers parameter {clip.logit_scale.item():.7g} "
      f"(exp {clip.logit_scale.exp().item():.7g})")
if abs(ls - clip.logit_scale.item()) > 1e-6 and abs(ls - clip.logit_scale.exp().item()) > 1e-4:
    failures.append("logit_scale differs")

print("\nCLIPVisionModel (the LLaVA-style tower)")
vision = load(CLIPVisionModel, ("text_model.", "text_projection.", "visual_projection.", "logit_scale"))
out = vision(pixel_values=pixels, output_hidden_states=True)
report("CLIPVisionModel last_hidden_state vs CLIPModel.vision_model's", vout.last_hidden_state, out.last_hidden_state)
report("visual_projection(CLIPVisionModel pooler_output) vs our ImageFeatures.cls",
       cls_java, clip.visual_projection(out.pooler_output))
report("projection of post_layernorm(CLIPVisionModel last_hidden_state[:, 1:]) vs our patches",
       patches_java, clip.visual_projection(vision.vision_model.post_layernorm(out.last_hidden_state[:, 1:])))
penultimate = out.hidden_states[-2]
print(f"  hidden_states: {len(out.hidden_states)} tensors; hidden_states[-2] (what LLaVA feeds) "
      f"shape {tuple(penultimate.shape)}, finite {bool(torch.isfinite(penultimate).all())}")

print("\nCLIPVisionModelWithProjection")
with_proj = load(CLIPVisionModelWithProjection, ("text_model.", "text_projection.", "logit_scale"))
report("image_embeds vs our ImageFeatures.cls", cls_java, with_proj(pixel_values=pixels).image_embeds)

print("\nCLIPImageProcessor (information only: PIL's resampling vs ours)")
from PIL import Image
processor = CLIPImageProcessor.from_pretrained(folder)
hf_pixels = processor(images=Image.open(f"{dump}/image.png"), return_tensors="pt").pixel_values
d = (hf_pixels - pixels).abs()
print(f"  pixel_values shape {tuple(hf_pixels.shape)}; vs our ImagePreprocessor: max |diff| {d.max().item():.3g}, "
      f"mean |diff| {d.mean().item():.3g} (in normalised units; 1/255/std = {1 / 255 / 0.2613:.3g})")
if tuple(hf_pixels.shape) != tuple(pixels.shape):
    failures.append("CLIPImageProcessor output shape differs")
f2 = clip.get_image_features(pixel_values=hf_pixels)
cos = torch.nn.functional.cosine_similarity(f2, cls_java).item()
print(f"  features from CLIPImageProcessor's pixels vs ours: max |diff| {(f2 - cls_java).abs().max().item():.3g}, "
      f"cosine {cos:.6f}")

print()
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("OK: transformers loads the export with no missing or misshaped weights and reproduces our features")
