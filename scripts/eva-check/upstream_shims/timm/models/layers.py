"""drop_path, to_2tuple and trunc_normal_ as LAVIS's eva_vit.py calls them (see ../../README.md)."""
import collections.abc

import torch


def drop_path(x, drop_prob=0.0, training=False):
    """Stochastic depth: drops whole samples' residual branches while training, identity otherwise."""
    if not training or not drop_prob:
        return x
    keep = 1.0 - drop_prob
    mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep)
    return x * mask / keep


def to_2tuple(value):
    if isinstance(value, collections.abc.Iterable) and not isinstance(value, str):
        return tuple(value)
    return (value, value)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0):
    return torch.nn.init.trunc_normal_(tensor, mean=mean, std=std, a=a, b=b)
