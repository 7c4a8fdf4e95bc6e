"""Stand-in package for the parts of timm that LAVIS's eva_vit.py imports (see ../../README.md)."""
