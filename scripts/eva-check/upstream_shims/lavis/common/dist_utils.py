"""download_cached_file refuses: the check loads the weights EAGLE wrote (see ../../README.md)."""


def download_cached_file(url, check_hash=True, progress=False):
    raise RuntimeError(f"eva-check downloads nothing (asked for {url})")
