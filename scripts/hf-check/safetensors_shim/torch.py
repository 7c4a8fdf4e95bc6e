"""Pure-Python stand-in for safetensors.torch (load_file, save_file, storage_ptr, storage_size)."""
import json, struct
import torch
from . import safe_open

_NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
          torch.bool: "BOOL"}


def load_file(filename, device="cpu"):
    with safe_open(filename, framework="pt") as f:
        return {k: f.get_tensor(k).to(device) for k in f.keys()}


def save_file(tensors, filename, metadata=None):
    header, blobs, off = {}, [], 0
    for k, t in tensors.items():
        b = t.detach().contiguous().cpu().numpy().tobytes() if t.dtype != torch.bfloat16 else \
            t.detach().contiguous().cpu().view(torch.int16).numpy().tobytes()
        header[k] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(filename, "wb") as fh:
        fh.write(struct.pack("<Q", len(h))); fh.write(h)
        for b in blobs:
            fh.write(b)


def storage_ptr(tensor):
    try:
        return tensor.untyped_storage().data_ptr()
    except Exception:
        return tensor.storage().data_ptr()


def storage_size(tensor):
    try:
        return tensor.untyped_storage().nbytes()
    except Exception:
        return tensor.storage().size() * tensor.element_size()
