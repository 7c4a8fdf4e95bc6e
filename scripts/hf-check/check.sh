#!/usr/bin/env bash
# Loads EAGLE's Hugging Face export with the real transformers code (CLIPModel, CLIPVisionModel,
# CLIPVisionModelWithProjection, CLIPImageProcessor) and checks it reproduces our Java encoder's features.
# Not part of the build or CI (it needs Python and the transformers source, which the build machine lacks).
#
#   scripts/hf-check/check.sh [embedded] [preset:ViT-B-16] ...   (default: embedded; exit 0 = all matched)
#
# Needs:
#   - Debian's PyTorch for /usr/bin/python3 (PyPI is not reachable here):
#       apt-get install -y --no-install-recommends python3-torch python3-numpy python3-pil python3-packaging \
#         python3-yaml python3-regex python3-requests python3-tqdm python3-filelock python3-fsspec \
#         python3-typing-extensions
#   - the transformers and huggingface_hub Python sources in $HF_CHECK_SITE (default /tmp/hfpy/site), or git
#     directories of both projects to take them from: TRANSFORMERS_GIT (rev TRANSFORMERS_REV, default
#     db9a7e9d3dbd1b595f004597a0502cce0a96135a, the last 4.37.0.dev0 commit of transformers' main) and HUB_GIT
#     (rev HUB_REV, default v0.20.3). Nothing third-party is copied into this repository.
#   - safetensors: the Rust wheel is not in Debian; when `import safetensors` fails, our pure-Python
#     stand-in (safetensors_shim/, the documented file format) is installed into $HF_CHECK_SITE.
#   - core's compiled classes (core/target/classes) and its dependency jars in ~/.m2 (offline).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
PY=${PYTHON:-/usr/bin/python3}
SITE=${HF_CHECK_SITE:-/tmp/hfpy/site}
WORK=${HF_CHECK_WORK:-/tmp/hfcheck}
TRANSFORMERS_REV=${TRANSFORMERS_REV:-db9a7e9d3dbd1b595f004597a0502cce0a96135a}
HUB_REV=${HUB_REV:-v0.20.3}
CASES=("$@"); [[ ${#CASES[@]} -eq 0 ]] && CASES=(embedded)
mkdir -p "$SITE" "$WORK"

"$PY" -c 'import torch, numpy, PIL' 2>/dev/null || {
  echo "hf-check: $PY lacks torch/numpy/PIL: install Debian's python3-torch python3-numpy python3-pil ... (see the header)" >&2
  exit 2
}

extract() { # NAME GITDIR REV
  local name=$1 git=$2 rev=$3 version
  [[ -d "$SITE/$name" ]] && return
  [[ -n "$git" ]] || { echo "hf-check: $SITE/$name missing; set ${name^^}_GIT (see the header)" >&2; exit 2; }
  local tmp; tmp=$(mktemp -d)
  git --git-dir="$git" archive "$rev" "src/$name" | tar -x -C "$tmp"
  mv "$tmp/src/$name" "$SITE/$name"; rm -rf "$tmp"
  version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$SITE/$name/__init__.py" | head -1)
  mkdir -p "$SITE/$name-$version.dist-info"   # importlib.metadata.version() is how transformers checks versions
  printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$name" "$version" > "$SITE/$name-$version.dist-info/METADATA"
  echo "hf-check: $name $version from $git @ $rev" >&2
}
extract transformers "${TRANSFORMERS_GIT:-}" "$TRANSFORMERS_REV"
extract huggingface_hub "${HUB_GIT:-}" "$HUB_REV"
if ! PYTHONPATH="$SITE" "$PY" -c 'import safetensors.torch' 2>/dev/null; then
  mkdir -p "$SITE/safetensors" "$SITE/safetensors-0.4.1.dist-info"
  cp "$HERE/safetensors_shim/__init__.py" "$HERE/safetensors_shim/torch.py" "$SITE/safetensors/"
  printf 'Metadata-Version: 2.1\nName: safetensors\nVersion: 0.4.1\n' > "$SITE/safetensors-0.4.1.dist-info/METADATA"
  echo "hf-check: installed the pure-Python safetensors stand-in into $SITE" >&2
fi

# core's runtime classpath without building anything (core/target/classes must be current)
[[ -d core/target/classes/eagle/core/hf ]] || { echo "hf-check: build core first (mvn -pl core -am install -DskipTests)" >&2; exit 2; }
if [[ -f core/target/classpath.txt ]]; then CPFILE=core/target/classpath.txt; else
  CPFILE=$WORK/core-classpath.txt
  [[ -f $CPFILE ]] || mvn -o -q -B -Dstyle.color=never -pl core dependency:build-classpath -Dmdep.outputFile="$CPFILE" >&2
fi
CP="core/target/classes:$(cat "$CPFILE")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" "$HERE/HfCheckDump.java"
JAVA=(java -Xmx6g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

status=0
for case in "${CASES[@]}"; do
  out="$WORK/out-${case//[:\/]/-}"; hf="$WORK/hf-${case//[:\/]/-}"
  rm -rf "$out" "$hf"
  if [[ $case == embedded ]]; then model=models/embedded-base/model.safetensors; else model=$case; fi
  echo "== $case" >&2
  "${JAVA[@]}" -cp "$CP:$WORK/classes" HfCheckDump "$model" models/embedded-base/tokenizer.json "$out" 2>&1 | grep -v ' INFO \| WARN ' >&2
  [[ $case == preset:* ]] && model=$out/model.safetensors
  # the same export the gateway serves (HfClipExport.write(file, folder)), through the converter's command line
  "${JAVA[@]}" -cp "$CP" eagle.core.hf.ConvertCli convert --from openai --to hf --in "$model" --out "$hf" >&2
  PYTHONPATH="$SITE" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HOME="$WORK/hf-home" \
    "$PY" "$HERE/check.py" "$hf" "$out" || status=1
done
exit $status
