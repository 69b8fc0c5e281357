"""`generate_bbj_code`: retrieval, then the eval harness's own generate / extract / check /
repair code (`train.eval`), so `compile@1+repair` in the eval report measures exactly what this
tool does. This module only adds what a single interactive request needs: the retrieved
examples and the surrounding code in the user turn, a deadline over all attempts, and a tool
error when the model endpoint cannot be reached."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcp.server.mcpserver.exceptions import ToolError

from bbj_mcp.config import McpSettings
from bbj_mcp.results import GenerateResult

if TYPE_CHECKING:
    from bbj_mcp.check import CodeChecker
    from bbj_mcp.retrieval import Hit, Retriever
    from train.eval.client import ChatClient, Completion
    from train.eval.judge import Judge

log = logging.getLogger("bbj_mcp.generate")

QUERY_CONTEXT_CHARS = 2000  # how much of the surrounding code joins the retrieval query


def within_budget(hits: list[Hit], budget: int) -> list[Hit]:
    """The best hits whose snippets fit `budget` characters together, so that prompt and answer
    stay inside the context the model was trained with (4,096 tokens)."""
    kept: list[Hit] = []
    used = 0
    for hit in hits:
        if used + len(hit.snippet) <= budget:
            kept.append(hit)
            used += len(hit.snippet)
    return kept


def user_turn(prompt: str, context: str | None, hits: list[Hit]) -> str:
    """The request last (where the model looks most), the references and the surrounding code
    before it, each reference with its id so the answer can be traced to the examples."""
    from train.data.chatml import render_code_block

    parts = []
    if hits:
        references = "\n\n".join(f"[{hit.id}]\n{hit.snippet}" for hit in hits)
        parts.append(f"Checked BBj references for this task:\n\n{references}")
    if context and context.strip():
        parts.append(f"The code must fit into this surrounding code:\n\n{render_code_block(context.strip(chr(10)))}")
    parts.append(prompt.strip())
    return "\n\n".join(parts)


@dataclass
class Generator:
    """One request through retrieval and the shared check-and-repair loop."""

    settings: McpSettings
    client: ChatClient
    judge: Judge
    checker: CodeChecker
    retriever: Retriever

    @classmethod
    def from_settings(cls, settings: McpSettings, checker: CodeChecker) -> Generator:
        from bbj_mcp.retrieval import ExampleIndex, Retriever
        from train.eval.client import ChatClient
        from train.eval.judge import Judge

        client = ChatClient(settings.base_url, settings.model, settings.api_key, timeout_s=settings.request_timeout_s, retries=1, concurrency=1)
        store = checker.config.cache_subdir("mcp") / "retrieval-documents.json"
        index = ExampleIndex(settings.data_root(), checker.config, refresh_interval=settings.refresh_interval_s, store=store)
        return cls(settings, client, Judge(checker.checker, jobs=1), checker, Retriever(index))

    def generate(self, prompt: str, generation: str, context: str | None, max_attempts: int) -> GenerateResult:
        from train.eval.client import ChatRequest, Completion, GenerationParams
        from train.eval.prompts import task_messages
        from train.eval.repair import generate_and_repair

        deadline = time.monotonic() + self.settings.generate_timeout_s
        query = prompt if not context else f"{prompt}\n{context[:QUERY_CONTEXT_CHARS]}"
        hits = within_budget(self.retriever.retrieve(query, generation, self.settings.retrieve_k), self.settings.reference_chars)
        messages = task_messages(user_turn(prompt, context, hits), generation)
        params = GenerationParams(max_tokens=self.settings.max_tokens, temperature=self.settings.temperature)

        def ask(conversation: list[dict[str, str]]) -> Completion:
            if time.monotonic() >= deadline:
                return Completion(status="timeout", error=f"no time left of the {self.settings.generate_timeout_s:g} s limit")
            return self.client.complete(ChatRequest(conversation, params))

        attempts = generate_and_repair(messages, ask, self.judge, rounds=max_attempts - 1)
        with_code = [a for a in attempts if a.code is not None]
        if not with_code:
            last = attempts[-1].completion
            if last.status in ("error", "timeout"):
                raise ToolError(f"the model endpoint {self.settings.base_url} (model {self.settings.model}) failed: {last.error}")
        best = with_code[-1] if with_code else attempts[-1]
        code = best.code or ""
        checked = self.checker.check(code, generation) if code else None
        log.info("generate_bbj_code: %d attempt(s), %s", len(attempts), best.verdict.status)
        return GenerateResult(
            code=code,
            ok=best.verdict.passed,
            attempts=len(attempts),
            diagnostics=checked.diagnostics if checked else [],
            model=self.settings.model,
            retrieved=[hit.id for hit in hits],
        )
