#!/usr/bin/env bash
# Downloads two extension modules built for CPython 3.13 from PyPI (markupsafe
# 3.0.4, a cp313 wheel, and tornado 6.6.1, an abi3 one), unpacks only their .so
# files into namespace folders (no __init__.py: their Python code cannot run here),
# and runs their functions in isle through tools/wheels/wheel_host.c.
#   tools/wheels/check.sh [LIBDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
libdir=${1:-$PWD/target/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python=$(pyenv prefix 3.13.0 2>/dev/null)/bin/python3.13
[ -x "$python" ] || python=$HOME/.pyenv/versions/3.13.0/bin/python3.13
"$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$work/wheels" markupsafe==3.0.4 tornado==6.6.1
mkdir -p "$work/site"
for wheel in "$work"/wheels/*.whl; do
    "$python" - "$wheel" "$work/site" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.endswith(".so"):
            z.extract(name, sys.argv[2])
PY
done
find "$work/site" -name '*.so' | sed "s|$work/site/|  unpacked |"
cc -O1 -g -Wall -Iinclude tools/wheels/wheel_host.c -o "$work/wheel_host" -L"$libdir" -Wl,-rpath,"$libdir" -lisle
"$work/wheel_host" "$work/site"
