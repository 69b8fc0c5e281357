#!/usr/bin/env bash
# Wheels for the lent GPU machine (python 3.12, torch 2.11 cu130, transformers, peft, accelerate
# present; no network): ../shared/gpu/fetch-wheels.sh's Unsloth + TRL + bitsandbytes set plus
# pydantic (bbj-train's config needs it), merged into one folder .whl/ (~46 MB), which fits one
# device call's 64 MiB carry. Run from the project root.
set -euo pipefail
grep -qxF '/.whl/' .git/info/exclude 2>/dev/null || printf '/.whl/\n' >> .git/info/exclude
../shared/gpu/fetch-wheels.sh
P="--no-deps --only-binary=:all: --python-version 3.12 --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64"
mkdir -p .whl
cp .whl1/*.whl .whl2/*.whl .whl/
python3 -m pip download -q $P -d .whl pydantic==2.14.4 pydantic_core==2.50.5 annotated_types==0.8.0 \
  typing_extensions==4.16.0 typing_inspection==0.4.5
du -sh .whl
