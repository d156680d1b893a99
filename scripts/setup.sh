#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Backprop needs when they are missing:
# libedit-dev (line editing), libopenblas-dev (fast matrix products), tmux (the
# interactive tests drive the shell through it) and texlive-latex-base (the tests
# compile `export latex`; about 40 MB without its recommends). Also NumPy, which the
# tests use to run `export numpy`. Does nothing when all are there.
set -euo pipefail
if ! python3 -c 'import numpy' >/dev/null 2>&1; then
    echo "backprop: installing numpy for python3" >&2
    python3 -m pip install --quiet numpy
fi
needed=(libedit-dev libopenblas-dev tmux pkg-config texlive-latex-base)
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "backprop: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "backprop: please install ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
