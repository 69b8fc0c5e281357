"""The tools' structured results. pydantic models, so the SDK publishes an output schema and
sends `structured_content` (plain `typing.TypedDict` fails on Python 3.11)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Generation = Literal["character", "vpro5", "bbj-gui", "dwc", "all"]


class Finding(BaseModel):
    """One problem in the code, on a 1-based line of the code as given."""

    line: int
    col: int
    code: str = Field(description="stable rule code, e.g. BBJ511 (see bbj-curate rules)")
    severity: Literal["error", "warning", "info"]
    message: str
    hint: str = Field(description="how to fix it: the rule's summary and a correct form")


class CheckResult(BaseModel):
    """The verdict on one piece of BBj code."""

    ok: bool = Field(description="true when no finding is an error")
    checker: str = Field(description="bbjcpl (BASIS's compiler) or bbj-builtin")
    checker_version: str
    diagnostics: list[Finding]


class GenerateResult(BaseModel):
    """Code from the served model after the check-and-repair loop."""

    code: str = Field(description="the last extracted code; empty when the model gave none")
    ok: bool = Field(description="true when the returned code passed the check")
    attempts: int = Field(description="model calls made (1 = the first draft passed)")
    diagnostics: list[Finding] = Field(description="findings on the returned code")
    model: str
    retrieved: list[str] = Field(description="ids of the curated examples put into the prompt")


class ApiMethod(BaseModel):
    name: str
    declared_in: str = Field(description="the class (this one or an ancestor) that declares it")


class ApiLookup(BaseModel):
    """A BBj class from the API data the checker ships, with inherited methods."""

    class_name: str
    found: bool
    ancestors: list[str]
    methods: list[ApiMethod]
    method: str | None = Field(default=None, description="the method asked about, if any")
    has_method: bool | None = Field(default=None, description="whether the class or an ancestor has it")
    suggestions: list[str] = Field(description="close class or method names when the one asked for is unknown")
    note: str = Field(description="caveats about the data for this class, else empty")
