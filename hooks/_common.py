"""What every hook shares: argument parsing, picking example files out of what pre-commit
passes, and printing findings as `path:line:col: CODE message` plus one line on the fix."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from curate.config import ConfigError, CurateConfig, load_config, path_under
from curate.diagnostics import Diagnostic, Severity
from curate.errors import CurateError, ExitCode
from curate.report import exit_code
from curate.safeio import CONFIG_LIMIT, UnsafeFile, read_text_guarded
from curate.timebudget import DEFAULT_FILE_BUDGET_S

# Which codes each hook reports, so one problem is printed by exactly one hook: bbj-validate
# the file, structure and front matter families; bbj-lint every other rule, plus the title
# check against the whole set (BBJ208); bbj-compile BBJ5xx; bbj-dedupe BBJ6xx.
FAMILIES = tuple(f"BBJ{n}" for n in range(10))
VALIDATE_CODES = ("BBJ0", "BBJ1", "BBJ2")
SET_TITLE_CODE = "BBJ208"
LINT_CODES = (*(f for f in FAMILIES if f not in (*VALIDATE_CODES, "BBJ5", "BBJ6")), SET_TITLE_CODE)


def owned_by(config: CurateConfig, codes: tuple[str, ...]) -> CurateConfig:
    """`config` narrowed to the codes one hook reports: families it does not own are ignored
    (the user's own select/ignore still apply inside the rest); an exact code it owns inside a
    family it does not (BBJ208 for bbj-lint) is selected back unless the user ignores it."""
    families = tuple(c for c in codes if len(c) == 4)
    exact = [c for c in codes if len(c) > 4 and c not in config.ignore]
    foreign = [c for c in (*FAMILIES, SET_TITLE_CODE) if c not in codes and not (len(c) == 4 and c in families)]
    return config.replace(select=[*config.select, *exact], ignore=[*config.ignore, *foreign])


SUPPRESS = "suppress with `lint_ignore: [{code}]` in the front matter{noqa}, or skip the hook once: SKIP={hook} git commit"
BBJ_FIX_ID = re.compile(r"^[ \t]*+-?[ \t]*+id:[ \t]*+['\"]?bbj-fix\b", re.MULTILINE)  # linear: no nested whitespace runs
CODE_LINE_CODES = ("BBJ302", "BBJ4", "BBJ5")  # findings reported on a line of BBj code, where `rem noqa:` can go


def fix_command(path: str) -> str:
    """How to apply the safe fixes to `path` with a command that exists in the repository the
    hook runs in (pre-commit runs hooks at its root): the opt-in `bbj-fix` hook when its
    `.pre-commit-config.yaml` has it, else `bbj-curate` from the user's PATH or from a virtual
    environment inside the repository (this repository's `.venv`); never pre-commit's private
    environment, which is not on the user's PATH, nor a make target of the toolkit."""
    try:
        text = read_text_guarded(Path(".pre-commit-config.yaml"), CONFIG_LIMIT)  # a FIFO or /dev/zero link: refused, never read
        configured = BBJ_FIX_ID.search(text)
    except (UnsafeFile, UnicodeDecodeError):
        configured = None
    if configured:
        return f"run `pre-commit run bbj-fix --files {path}`"
    private = _precommit_home()
    user_path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and path_under(Path(d), private) is None]
    if shutil.which("bbj-curate", path=os.pathsep.join(user_path)):
        return f"run `bbj-curate lint --fix {path}`"
    venv = path_under(Path(sys.prefix), Path.cwd())
    if venv is not None and path_under(Path(sys.prefix), private) is None and (Path(sys.prefix) / "bin" / "bbj-curate").is_file():
        return f"run `{venv}/bin/bbj-curate lint --fix {path}`"
    return f"add the opt-in `- id: bbj-fix` hook to .pre-commit-config.yaml and run `pre-commit run bbj-fix --files {path}`"


def _precommit_home() -> Path:
    """Where pre-commit keeps hook environments (its documented cache location)."""
    home = os.environ.get("PRE_COMMIT_HOME")
    if home:
        return Path(home)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pre-commit"


def parse_args(argv: Sequence[str] | None, description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("filenames", nargs="*", type=Path, help="files pre-commit passes")
    parser.add_argument("--config", type=Path, help="a pyproject.toml, or a TOML file with the settings under [tool.bbj-curate] or at its top level")
    parser.add_argument("--fail-on", choices=["error", "warning", "info"], help="lowest severity that blocks the commit")
    parser.add_argument(
        "--file-budget", type=float, default=DEFAULT_FILE_BUDGET_S, metavar="SECONDS",
        help=f"stop checking a file after this long and report BBJ007 (default {DEFAULT_FILE_BUDGET_S:g}; 0: no limit)",
    )  # fmt: skip
    return parser.parse_args(argv)


def load(args: argparse.Namespace) -> CurateConfig | None:
    try:
        config = load_config([Path.cwd()], args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return config.replace(fail_on=args.fail_on) if args.fail_on else config


def example_files(filenames: list[Path], config: CurateConfig) -> list[Path]:
    """Markdown files that are examples: not excluded (README.md, FORMAT.md, ...)."""
    return [f for f in filenames if f.suffix.lower() == ".md" and not config.is_excluded(f)]


def report(diags: list[Diagnostic], config: CurateConfig, hook: str) -> int:
    """Print findings (nothing on success) and return the exit status."""
    for diag in sorted(diags, key=Diagnostic.sort_key):
        print(diag.render())
        how = diag.hint or (fix_command(diag.path) if diag.fixable else "")
        noqa = f" or `; rem noqa: {diag.code}` after the code on that line" if diag.code.startswith(CODE_LINE_CODES) else ""
        suppress = SUPPRESS.format(code=diag.code, hook=hook, noqa=noqa)
        print(f"    {how + '; or ' if how else ''}{suppress}")
    blocking = exit_code(diags, config.fail_on)
    if diags and not blocking:
        print(f"({len(diags)} non-blocking finding{'s' if len(diags) != 1 else ''}: below fail-on={config.fail_on})")
    return blocking


def is_error(diag: Diagnostic) -> bool:
    return diag.severity is Severity.ERROR


Check = Callable[[list[Path], CurateConfig, float], list[Diagnostic]]  # files, config, seconds per file


def staged_examples(argv: Sequence[str] | None, description: str) -> tuple[argparse.Namespace, CurateConfig, list[Path]] | int:
    """Parse, load the config and keep the example files among those passed: the three, or the
    exit status to end with (2 on a bad config, 0 when no example was passed)."""
    args = parse_args(argv, description)
    config = load(args)
    if config is None:
        return ExitCode.USAGE
    files = example_files(args.filenames, config)
    if not files:
        return ExitCode.OK
    return args, config, files


def run_hook(argv: Sequence[str] | None, hook: str, description: str, check: Check) -> int:
    """The shape of every hook: parse, load the config (2 on a bad one), keep the example
    files among those passed (0 when none), check them, print findings, return the status."""
    staged = staged_examples(argv, description)
    if isinstance(staged, int):
        return staged
    args, config, files = staged
    try:
        diagnostics = check(files, config, args.file_budget)
    except CurateError as exc:  # e.g. checker = "bbjcpl" and none found
        for line in exc.lines():
            print(line, file=sys.stderr)
        return exc.exit_code
    return report(diagnostics, config, hook)
