"""Stand-in package for EVA-CLIP's eva_clip, holding only eva_vit_model.py (see ../README.md)."""
