#!/usr/bin/env bash
# Wheels for the lent GPU machine (python 3.12, torch 2.11 cu130, transformers, peft, accelerate
# present; no network), in two folders because together they exceed the 64 MiB one device call
# can carry: .whl1/ (bitsandbytes, datasets, TRL, pydantic: ~49 MB; the hf backend runs with it)
# and .whl2/ (Unsloth and its needs: ~34 MB). Carry .whl1 in one call and .whl2 in the next,
# while the machine is still held (bench/gpu/setup.sh installs each). Run from the project root.
set -euo pipefail
for folder in .whl1 .whl2; do
  grep -qxF "/$folder/" .git/info/exclude 2>/dev/null || printf '/%s/\n' "$folder" >> "$(git rev-parse --git-common-dir)/info/exclude"
done
../shared/gpu/fetch-wheels.sh
P="--no-deps --only-binary=:all: --python-version 3.12 --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64"
python3 -m pip download -q $P -d .whl1 pydantic==2.14.4 pydantic_core==2.50.5 annotated_types==0.8.0 \
  typing_extensions==4.16.0 typing_inspection==0.4.5
mv .whl2/trl-*.whl .whl1/
du -sh .whl1 .whl2
