"""PatchDropout, which eva_vit_model.py imports but builds only with patch_dropout > 0 (see ../README.md)."""
from torch import nn


class PatchDropout(nn.Module):
    def __init__(self, prob, exclude_first_token=True):
        raise NotImplementedError("eva-check runs EVAVisionTransformer with patch_dropout 0 (no PatchDropout)")
