#!/usr/bin/env python3
"""A stand-in for BASIS's `bbjcpl` that speaks its real output format (tests copy it with a
shebang naming the test's own Python, so it runs as a real executable).

Rule: a line of the file is an error when its stripped text is in the JSON list given in
FAKE_BBJCPL_BAD. For each, in file order, stderr gets
    <path as given>: error at line <legacy> (<physical>): <the line as written>
where <legacy> is the line's own BBj line number when it starts with one, else physical * 10
(what BBj numbers unnumbered lines). Exit status 0, errors or not, like the real one.
With the real fixtures' bad lines this reproduces ../shared/bbj-corpus/cpl-fixtures/*-stderr.txt.

FAKE_BBJCPL_LOG: append one JSON line per run (argv, cwd, files in the source's folder).
FAKE_BBJCPL_MODE: 'sleep' (hang), 'spawn' (start a child that holds the pipes, then hang),
'garbage' (unparseable stderr), 'crash' (exit 3, nothing on stderr), else normal.
"""

import json
import os
import re
import subprocess
import sys
import time

NUMBERED = re.compile(r"^\s*(\d+)\b")


def main() -> int:
    args = sys.argv[1:]
    log = os.environ.get("FAKE_BBJCPL_LOG")
    source = args[-1] if args else ""
    if log:
        folder = os.path.dirname(source) or "."
        entry = {"argv": args, "cwd": os.getcwd(), "files": sorted(os.listdir(folder)) if os.path.isdir(folder) else []}
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
    mode = os.environ.get("FAKE_BBJCPL_MODE", "")
    if mode == "sleep":
        time.sleep(60)
    if mode == "spawn":
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        time.sleep(60)
    if mode == "garbage":
        sys.stderr.write('Exception in thread "main" java.lang.NoClassDefFoundError: com/basis/Compiler\n\tat nowhere\n')
        return 0
    if mode == "crash":
        return 3
    bad = set(json.loads(os.environ.get("FAKE_BBJCPL_BAD", "[]")))
    with open(source, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    for physical, line in enumerate(lines, start=1):
        if line.strip() and line.strip() in bad:
            numbered = NUMBERED.match(line)
            legacy = int(numbered.group(1)) if numbered else physical * 10
            sys.stderr.write(f"{source}: error at line {legacy} ({physical}): {line}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
