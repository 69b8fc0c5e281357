"""`--config FILE` takes a pyproject.toml, a file holding a `[tool.bbj-curate]` table (a copy of
one) or the settings at its top level, in `bbj-curate` and the hooks alike; `--help` says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.cli import main as curate_main
from curate.config import load_config
from hooks import lint as lint_hook

FORMS = {
    "top-level": 'ignore = ["BBJ302"]\nfail-on = "warning"\n',
    "tool-table": '[project]\nname = "x"\n\n[tool.bbj-curate]\nignore = ["BBJ302"]\nfail-on = "warning"\n\n[tool.ruff]\nline-length = 99\n',
}
NO_REM = '---\ntitle: Say hi\ntype: completion\ngeneration: all\ndifficulty: basic\n---\n\n## Code\n\n```bbj\nprint "hi"\n```\n\n## Expected Behavior\n\nPrints hi.\n\n## Explanation\n\nPRINT writes text.\n'  # fmt: skip


@pytest.mark.parametrize("form", sorted(FORMS))
def test_other_toml_in_either_form(form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config_file = tmp_path / "other.toml"
    config_file.write_text(FORMS[form], "utf-8")
    config = load_config([tmp_path], config_file)
    assert config.ignore == ["BBJ302"] and config.fail_on == "warning"
    example = tmp_path / "training-data" / "strings" / "say-hi.md"
    example.parent.mkdir(parents=True)
    example.write_text(NO_REM, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert curate_main(["lint", "training-data"]) == 1  # BBJ302 without the config
    assert curate_main(["lint", "--config", str(config_file), "training-data"]) == 0
    assert lint_hook.main([str(example)]) == 1
    assert lint_hook.main(["--config", str(config_file), str(example)]) == 0
    capsys.readouterr()


def test_a_toml_with_neither_form_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_file = tmp_path / "other.toml"
    config_file.write_text("[tool.ruff]\nline-length = 99\n", "utf-8")
    assert curate_main(["lint", "--config", str(config_file), str(tmp_path)]) == 2
    assert "unknown key 'tool'" in capsys.readouterr().err


def test_help_says_which_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert curate_main(["lint", "--help"]) == 0
    assert "[tool.bbj-curate] or at its top level" in " ".join(capsys.readouterr().out.split())
