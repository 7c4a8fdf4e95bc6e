"""The rotary embeddings eva_vit_model.py imports but builds only with rope=True (see ../README.md); EVA01
uses none."""
from torch import nn


class VisionRotaryEmbedding(nn.Module):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("eva-check runs EVA01 (rope=False)")


class VisionRotaryEmbeddingFast(VisionRotaryEmbedding):
    pass
