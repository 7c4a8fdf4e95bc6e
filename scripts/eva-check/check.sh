#!/usr/bin/env bash
# Checks EAGLE's EVA01 image tower, its LAVIS (BLIP-2 / InstructBLIP) and EVA-CLIP layouts, and its OpenCLIP
# reader against PyTorch towers written independently in check.py (issue #20 item 4; core/EVA.md).
# Not part of the build; platform's EvaEncoderPlatformTest runs check.py on what its gateway serves.
#
#   [LAVIS_GIT=LAVIS.git] [EVA_GIT=EVA.git] scripts/eva-check/check.sh [--perturb]   (exit 0 = everything matched within 1e-5)
#
# Steps: EvaCheckDump.java (run with Java's source launcher against core's classes) makes a small random
# EVA-shaped model, writes its EVA-CLIP-named file and the LAVIS `visual_encoder` file exactly as the gateway
# serves it (LavisEvaFile.export), and an OpenCLIP GELU hub folder that EAGLE reads (OpenClipCheckpoint); it
# runs EAGLE's encoder on one image and dumps the preprocessed pixels and features; check.py loads the files
# into its own towers and compares. --perturb moves one weight after loading: the check must then fail.
#
# Optionally also the upstream modules, each one file extracted from a git directory into $EVA_CHECK_SITE (default
# /tmp/evapy/site) beside our stand-ins for the imports Debian lacks (upstream_shims/, see its README.md):
#   LAVIS_GIT  salesforce/LAVIS (rev LAVIS_REV, default 506965b9c4a18c1e565bd32acaccabe0198433f7):
#              lavis/models/eva_vit.py; check.py --upstream-lavis loads the LAVIS file into its VisionTransformer
#   EVA_GIT    baaivision/EVA (rev EVA_REV, default 5623d08bb08a8268c7bc18e1d9b8b4bd651fe4d9):
#              EVA-CLIP/rei/eva_clip/eva_vit_model.py; check.py --upstream-eva loads the EVA-CLIP-named file into
#              its EVAVisionTransformer
# Nothing third-party is copied into this repository.
#
# Needs Debian's PyTorch for /usr/bin/python3 (PyPI is not reachable here):
#   apt-get install -y --no-install-recommends python3-torch python3-numpy
# safetensors (a Rust wheel, not in Debian) falls back to scripts/hf-check/safetensors_shim, a pure-Python
# reader of the documented format. core's compiled classes (core/target/classes) and its dependency jars in the
# local Maven repository (offline).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
PY=${PYTHON:-/usr/bin/python3}
WORK=${EVA_CHECK_WORK:-/tmp/evacheck}
EXTRA=("$@")
SITE=${EVA_CHECK_SITE:-/tmp/evapy/site}
LAVIS_REV=${LAVIS_REV:-506965b9c4a18c1e565bd32acaccabe0198433f7}
EVA_REV=${EVA_REV:-5623d08bb08a8268c7bc18e1d9b8b4bd651fe4d9}
mkdir -p "$WORK"
UPSTREAM=()
if [[ -n "${LAVIS_GIT:-}${EVA_GIT:-}" ]]; then
  rm -rf "$SITE"; mkdir -p "$SITE"
  cp -r "$HERE/upstream_shims/timm" "$SITE/"
fi
if [[ -n "${LAVIS_GIT:-}" ]]; then
  cp -r "$HERE/upstream_shims/lavis" "$SITE/"
  git --git-dir="$LAVIS_GIT" show "$LAVIS_REV:lavis/models/eva_vit.py" > "$SITE/lavis/models/eva_vit.py"
  echo "eva-check: LAVIS's lavis/models/eva_vit.py from $LAVIS_GIT @ $LAVIS_REV" >&2
  UPSTREAM+=(--upstream-lavis)
fi
if [[ -n "${EVA_GIT:-}" ]]; then
  cp -r "$HERE/upstream_shims/eva_clip" "$SITE/"
  git --git-dir="$EVA_GIT" show "$EVA_REV:EVA-CLIP/rei/eva_clip/eva_vit_model.py" > "$SITE/eva_clip/eva_vit_model.py"
  echo "eva-check: EVA-CLIP's eva_clip/eva_vit_model.py from $EVA_GIT @ $EVA_REV" >&2
  UPSTREAM+=(--upstream-eva)
fi

"$PY" -c 'import torch, numpy' 2>/dev/null || {
  echo "eva-check: $PY lacks torch/numpy: apt-get install python3-torch python3-numpy (see the header)" >&2
  exit 2
}
[[ -d core/target/classes/eagle/core/hf ]] || { echo "eva-check: build core first (mvn -pl core -am install -DskipTests)" >&2; exit 2; }
CPFILE=$WORK/core-classpath.txt
[[ -f $CPFILE ]] || mvn -o -q -B -Dstyle.color=never -pl core dependency:build-classpath -Dmdep.outputFile="$CPFILE" >&2
CP="core/target/classes:$(cat "$CPFILE")"
JAVA=(java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$HERE/EvaCheckDump.java")

rm -rf "$WORK/eva" "$WORK/openclip"
status=0
echo "== EVA01 (LAVIS visual_encoder file and EVA-CLIP names)" >&2
"${JAVA[@]}" random-eva "$WORK/eva" >&2
PYTHONPATH="$SITE" "$PY" "$HERE/check.py" eva "$WORK/eva" --lavis "$WORK/eva/visual_encoder.safetensors" \
  --eva "$WORK/eva/eva-clip.safetensors" "${UPSTREAM[@]}" "${EXTRA[@]}" || status=1
echo "== OpenCLIP GELU hub folder" >&2
"${JAVA[@]}" random-openclip "$WORK/openclip" >&2
"$PY" "$HERE/check.py" openclip "$WORK/openclip" --folder "$WORK/openclip/openclip" "${EXTRA[@]}" || status=1
exit $status
