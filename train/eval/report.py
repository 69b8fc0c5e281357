"""The report folder `evals/<name>-<time>/`: samples.jsonl (one line per completion, the format
the rating TUI reads), report.json (everything the tables are rendered from), report.md (the
method's table Model | compile@1 | Qualitative | Date | Notes, then the details and the
per-category tables side by side), chart.png (compile@1 by category with intervals), humaneval
results, and a data card. report.md is a pure function of report.json plus an optional
qualitative summary, so `bbj-train eval report <dir>` re-renders it once ratings exist."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from curate.atomic import write_text_atomic
from curate.errors import UsageError
from curate.jsonl import JsonLines
from curate.rating.aggregate import (
    qualitative_cell,
    qualitative_markdown,
    qualitative_report,
)
from curate.rating.samples import REPORT_LIMIT, SAMPLES_LIMIT
from curate.safeio import UnsafeFile, printable_path, read_json_guarded

SAMPLES = "samples.jsonl"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"
CHART = "chart.png"
Qualitative = dict[str, dict[str, Any]]


def pct(rate: dict[str, Any] | None, interval: bool = True) -> str:
    """'42.0% [30.1-55.0] n=50', or '-' when there was nothing to measure."""
    if not rate or rate.get("value") is None:
        return "-"
    text = f"{100 * rate['value']:.1f}%"
    if interval and rate.get("low") is not None:
        text += f" [{100 * rate['low']:.1f}-{100 * rate['high']:.1f}]"
    return f"{text} n={rate['n']}" if interval else text


def _mean(rate: dict[str, Any] | None, digits: int = 1) -> str:
    if not rate or rate.get("value") is None:
        return "-"
    return f"{rate['value']:.{digits}f} [{rate['low']:.{digits}f}-{rate['high']:.{digits}f}]"


def load_qualitative(run_dir: Path) -> Qualitative | None:
    """The human ratings summary (`curate.rating`, the blind review of this run) when any exist."""
    from curate.rating import qualitative_summary

    return qualitative_summary(run_dir) or None


def render_markdown(report: dict[str, Any], qualitative: Qualitative | None = None) -> str:
    models = report["models"]
    date = report["created"][:10]
    checker = report["checker"]
    lines = [f"# Eval: {report['name']}", ""]
    lines += [f"{report['cases']} cases ({report['code_cases']} expect code, {report['cases'] - report['code_cases']} expect prose); "
              f"compile check: {checker['description']}. Rates are shown with their 95% interval (Wilson; bootstrap for means).", ""]  # fmt: skip
    lines += ["| Model | compile@1 | Qualitative | Date | Notes |", "|---|---|---|---|---|"]
    for model in models:
        notes = [model.get("notes") or "", f"backend {model['backend']}"]
        repair = model["metrics"].get("repair")
        if repair:
            notes.append(f"compile@1+repair<={repair['rounds']}: {pct(repair['rate'], False)}")
        he = model.get("humaneval")
        if he:
            notes.append(f"HumanEval pass@1 {pct(he['pass@1'], False)}")
        cell = qualitative_cell((qualitative or {}).get(model["name"]))  # empty until experts rate the run
        lines.append(f"| {model['name']} | {pct(model['metrics']['compile@1'])} | {cell} | {date} | {'; '.join(n for n in notes if n)} |")
    lines += ["", "## Details", ""]
    ks = sorted({k for m in models for k in m["metrics"].get("compile@k", {})}, key=int)
    repair_rounds = next((m["metrics"]["repair"]["rounds"] for m in models if m["metrics"].get("repair")), None)
    head = ["Model", "compile@1", *[f"compile@{k} (t={report['config']['temperature']})" for k in ks]]
    head += [f"compile@1+repair<={repair_rounds}"] if repair_rounds else []
    head += ["fabricated (BBJ510)", "unknown API (BBJ511)", "must_call", "no code", "chrF (prose)", "mean tokens", "mean latency s", "tokens/s"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for model in models:
        m = model["metrics"]
        cells = [model["name"], pct(m["compile@1"]), *[pct(m["compile@k"].get(k)) for k in ks]]
        cells += [pct((m.get("repair") or {}).get("rate"))] if repair_rounds else []
        cells += [pct(m["fabricated_BBJ510"]), pct(m["unknown_api_BBJ511"]), pct(m["must_call"]), pct(m["no_code"]), _mean(m["chrf"])]
        cells += [str(m["mean_output_tokens"] or "-"), str(m["mean_latency_s"] or "-"), str(m.get("tokens_per_s") or "-")]
        lines.append("| " + " | ".join(cells) + " |")
    for dimension in ("generation x type", "difficulty", "topic"):
        names = sorted({name for m in models for name in m["categories"][dimension]})
        if not names:
            continue
        lines += ["", f"## compile@1 by {dimension}", "", "| " + " | ".join([dimension, *[m["name"] for m in models]]) + " |", "|" + "---|" * (len(models) + 1)]
        for name in names:
            lines.append("| " + " | ".join([name, *[pct(m["categories"][dimension].get(name)) for m in models]]) + " |")
    lines += _humaneval_section(report)
    lines += qualitative_markdown(report["qualitative"]) if report.get("qualitative") else []
    lines += ["", "## Inputs", ""]
    lines += [f"- {source}: {count} cases" for source, count in report["case_sources"].items()]
    dropped = report.get("dropped_near_duplicates") or []
    if dropped:
        lines.append(f"- dropped {len(dropped)} test cases that near-duplicate a train record: " + ", ".join(f"{a} ~ {b}" for a, b in dropped[:10]))
    lines += ["", f"Command: `{report['command']}`", f"Chart: [{CHART}]({CHART}); every completion: [{SAMPLES}]({SAMPLES})", ""]
    return "\n".join(lines)


def _humaneval_section(report: dict[str, Any]) -> list[str]:
    rows = [m for m in report["models"] if m.get("humaneval")]
    if not rows:
        return []
    lines = ["", "## HumanEval (forgetting check)", "", "| Model | pass@1 | problems | timeouts |", "|---|---|---|---|"]
    lines += [f"| {m['name']} | {pct(m['humaneval']['pass@1'])} | {m['humaneval']['problems']} | {m['humaneval']['statuses']['timeout']} |" for m in rows]
    check = report.get("humaneval_check")
    if check:
        for tuned in check["tuned"]:
            verdict = "FAILED" if tuned["failed"] else "ok"
            lines.append(f"\n{tuned['model']} vs {check['base']}: {100 * tuned['change']:+.1f} points "
                         f"({100 * tuned['relative_change']:+.1f}% relative; allowed drop {100 * check['max_relative_drop']:.0f}%): **{verdict}**")  # fmt: skip
    return lines


def write_chart(report: dict[str, Any], path: Path) -> bool:
    """Grouped bars: compile@1 per generation x type, one bar per model, 95% intervals as error bars."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    models = report["models"]
    names = sorted({n for m in models for n in m["categories"]["generation x type"]}) + ["overall"]
    width = 0.8 / max(1, len(models))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(names) * max(1, len(models)) ** 0.5 + 2), 4.5))
    for i, model in enumerate(models):
        rates = [model["categories"]["generation x type"].get(n) for n in names[:-1]] + [model["metrics"]["compile@1"]]
        values = [100 * (r["value"] or 0) if r and r["value"] is not None else 0 for r in rates]
        low = [max(0.0, v - 100 * (r["low"] or 0)) if r and r["value"] is not None else 0 for v, r in zip(values, rates, strict=True)]
        high = [max(0.0, 100 * (r["high"] or 0) - v) if r and r["value"] is not None else 0 for v, r in zip(values, rates, strict=True)]
        xs = [x + (i - (len(models) - 1) / 2) * width for x in range(len(names))]
        ax.bar(xs, values, width, yerr=[low, high], capsize=3, label=model["name"])
    ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("compile@1 (%)")
    ax.set_ylim(0, 105)
    ax.set_title(f"{report['name']}: compile@1 by generation x type (95% intervals)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_report(folder: Path, report: dict[str, Any], qualitative: Qualitative | None = None) -> None:
    write_text_atomic(folder / REPORT_JSON, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(folder / REPORT_MD, render_markdown(report, qualitative))
    write_chart(report, folder / CHART)


def rerender(folder: Path) -> str:
    """report.md (and the chart) again from report.json, with the human ratings when they exist:
    their full summary (per model, per category, agreement) is stored in report.json under
    `qualitative` and rendered as the Qualitative column and the human-ratings sections."""
    report = read_report(folder)
    ratings = qualitative_report(folder)
    if ratings["ratings"]:
        report["qualitative"] = ratings
    else:
        report.pop("qualitative", None)
    write_text_atomic(folder / REPORT_JSON, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    text = render_markdown(report, ratings["models"] or None)
    write_text_atomic(folder / REPORT_MD, text)
    write_chart(report, folder / CHART)
    return text


class ReportUnreadable(UsageError):
    """An eval report folder whose report.json or samples.jsonl cannot be read (exit 2)."""


def read_report(folder: Path) -> dict[str, Any]:
    """report.json through the guarded reader."""
    path = folder / REPORT_JSON
    try:
        report = read_json_guarded(path, REPORT_LIMIT)
    except UnsafeFile as exc:
        raise ReportUnreadable(f"{printable_path(path)}: {exc.message}") from None
    except ValueError as exc:
        raise ReportUnreadable(f"{printable_path(path)}: not valid JSON ({exc})") from None
    if not isinstance(report, dict):
        raise ReportUnreadable(f"{printable_path(path)}: not a JSON object")
    return report


def read_samples(folder: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of samples.jsonl (guarded reader) and a reason for each line dropped: not JSON,
    or without the fields a comparison reads."""
    path = folder / SAMPLES
    reader = JsonLines(path, limit=SAMPLES_LIMIT, max_line_bytes=SAMPLES_LIMIT)
    rows: list[dict[str, Any]] = []
    dropped = []
    try:
        for item in reader:
            if all(isinstance(item.value.get(key), str) for key in ("case_id", "model", "status")):
                rows.append(item.value)
            else:
                dropped.append(f"{SAMPLES}:{item.line}: missing or not text: case_id, model or status")
    except UnsafeFile as exc:
        raise ReportUnreadable(f"{printable_path(path)}: {exc.message}") from None
    dropped = [f"{SAMPLES}:{d.line}: {d.message}" for d in reader.dropped] + dropped
    return rows, dropped


def flips(a: Sequence[dict[str, Any]], b: Sequence[dict[str, Any]], model_a: str, model_b: str) -> list[dict[str, Any]]:
    """Code cases whose greedy first draft passed in one report and failed in the other."""

    def verdicts(rows: Sequence[dict[str, Any]], model: str) -> dict[str, str]:
        return {r["case_id"]: r["status"] for r in rows if r["model"] == model and r.get("sample") == 0 and r.get("round") == 0 and r.get("expects") == "code"}

    first, second = verdicts(a, model_a), verdicts(b, model_b)
    out = []
    for case in sorted(first.keys() & second.keys()):
        was, now = first[case] == "ok", second[case] == "ok"
        if was != now:
            out.append({"case_id": case, "a": first[case], "b": second[case], "direction": "fixed" if now else "broken"})
    return out


def pick_models(a: Sequence[dict[str, Any]], b: Sequence[dict[str, Any]], model: str | None) -> list[tuple[str, str]]:
    """Model pairs to compare: the one named, the models both reports share, or their only models."""
    names_a = list(dict.fromkeys(r["model"] for r in a))
    names_b = list(dict.fromkeys(r["model"] for r in b))
    if model:
        return [(model, model)]
    shared = [n for n in names_a if n in names_b]
    if shared:
        return [(n, n) for n in shared]
    if len(names_a) == 1 and len(names_b) == 1:
        return [(names_a[0], names_b[0])]
    return []
