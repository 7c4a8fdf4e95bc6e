"""Minimal pure-Python stand-in for the `safetensors` package (the Rust wheel is not installable here).
Reads/writes the documented format: 8-byte little-endian header length, JSON header, raw little-endian data."""
import json, struct
__version__ = "0.4.1"

_DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
           "I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8", "BOOL": "bool"}


def _read_header(path):
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n).decode("utf-8"))
    return n, header


class safe_open:
    def __init__(self, filename, framework="pt", device="cpu"):
        if framework not in ("pt", "torch"):
            raise ValueError("this shim only supports framework='pt'")
        self._path = str(filename)
        n, header = _read_header(self._path)
        self._offset = 8 + n
        self._meta = header.pop("__metadata__", None)
        self._header = header
        with open(self._path, "rb") as fh:
            self._data = fh.read()[self._offset:]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._data = None
        return False

    def metadata(self):
        return self._meta

    def keys(self):
        return list(self._header.keys())

    def get_tensor(self, name):
        import torch
        info = self._header[name]
        dtype = getattr(torch, _DTYPES[info["dtype"]])
        start, end = info["data_offsets"]
        shape = info["shape"]
        buf = bytearray(self._data[start:end])
        if end == start:
            return torch.empty(shape, dtype=dtype)
        return torch.frombuffer(buf, dtype=dtype).reshape(shape).clone()
