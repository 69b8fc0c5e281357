"""A small OpenAI-compatible chat client (Ollama's `/v1`, vLLM, llama.cpp's server, hosted APIs).

Why not rely on a server's defaults: llama.cpp's server caps `/v1/completions` at 16 tokens and
returns one choice for `n=3` without an error, Ollama ignores `n`. So every request carries
`max_tokens` and the ChatML stop sequences, n samples are n requests (each with its own seed),
concurrency is bounded, failures are retried with exponential backoff, and each request has a
wall-clock timeout. Standard library only (one keep-alive connection per worker thread), so
importing it costs nothing and it works in the curation-only install."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from train.data.chatml import END_OF_TEXT, IM_END

STOP_SEQUENCES = (IM_END, END_OF_TEXT)
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class GenerationParams:
    """What decides a completion besides the prompt; part of the completion cache key."""

    max_tokens: int = 512
    temperature: float = 0.0
    top_p: float = 1.0
    stop: tuple[str, ...] = STOP_SEQUENCES

    def to_json(self) -> dict[str, Any]:
        return {"max_tokens": self.max_tokens, "temperature": self.temperature, "top_p": self.top_p, "stop": list(self.stop)}


@dataclass
class Completion:
    """One model reply. `status` is 'ok', 'timeout' or 'error' (then `error` says why)."""

    text: str = ""
    status: str = "ok"
    error: str | None = None
    output_tokens: int | None = None
    latency_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "status": self.status, "error": self.error, "output_tokens": self.output_tokens, "latency_s": self.latency_s}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Completion:
        return cls(str(data.get("text") or ""), str(data.get("status") or "ok"), data.get("error"), data.get("output_tokens"), data.get("latency_s"))


@dataclass(frozen=True)
class ChatRequest:
    """One request: the conversation, the decoding parameters and the seed of this sample."""

    messages: Messages
    params: GenerationParams = field(default_factory=GenerationParams)
    seed: int = 0


class RequestFailed(Exception):
    def __init__(self, message: str, retry: bool, timeout: bool = False) -> None:
        super().__init__(message)
        self.retry = retry
        self.timeout = timeout


@dataclass
class ChatClient:
    """POSTs `{base_url}/chat/completions`; `base_url` ends in `/v1` as for the openai package."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 120.0
    retries: int = 3
    backoff_s: float = 0.5
    concurrency: int = 4
    sleep: Callable[[float], None] = time.sleep
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http(s) URL like http://127.0.0.1:8000/v1, got {self.base_url!r}")
        self._scheme, self._host, self._port, self._path = parts.scheme, parts.hostname, parts.port, parts.path

    def complete(self, request: ChatRequest) -> Completion:
        """One completion; never raises: failures come back as status 'error' or 'timeout'."""
        body = json.dumps(self.payload(request)).encode("utf-8")
        started = time.perf_counter()
        last: RequestFailed | None = None
        for attempt in range(self.retries + 1):
            try:
                data = self._post(body)
                return self._parse(data, time.perf_counter() - started)
            except RequestFailed as exc:
                last = exc
                if not exc.retry or attempt == self.retries:
                    break
                self.sleep(self.backoff_s * (2**attempt) * (1 + random.random() / 4))
        assert last is not None
        return Completion(status="timeout" if last.timeout else "error", error=str(last), latency_s=time.perf_counter() - started)

    def complete_many(self, requests: Sequence[ChatRequest], on_done: Callable[[int, Completion], None] | None = None) -> list[Completion]:
        """Completions in request order, at most `concurrency` in flight; `on_done(i, c)` as each ends."""
        results: list[Completion | None] = [None] * len(requests)

        def work(index: int) -> None:
            results[index] = self.complete(requests[index])
            if on_done is not None:
                on_done(index, results[index])  # type: ignore[arg-type]

        with ThreadPoolExecutor(max_workers=max(1, self.concurrency)) as pool:
            list(pool.map(work, range(len(requests))))
        return [r if r is not None else Completion(status="error", error="not run") for r in results]

    def payload(self, request: ChatRequest) -> dict[str, Any]:
        params = request.params
        return {
            "model": self.model,
            "messages": request.messages,
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "stop": list(params.stop),
            "seed": request.seed,
            "n": 1,
            "stream": False,
        }

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            kind = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
            conn = kind(self._host, self._port, timeout=self.timeout_s)
            self._local.conn = conn
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _post(self, body: bytes) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        conn = self._connection()
        try:
            conn.request("POST", f"{self._path}/chat/completions", body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except TimeoutError as exc:
            self._drop_connection()
            raise RequestFailed(f"no reply within {self.timeout_s:g} s", retry=True, timeout=True) from exc
        except (OSError, http.client.HTTPException) as exc:
            self._drop_connection()
            raise RequestFailed(f"connection failed: {exc.__class__.__name__}: {exc}", retry=True) from exc
        if response.status != 200:
            text = raw[:300].decode("utf-8", "replace")
            raise RequestFailed(f"HTTP {response.status}: {text}", retry=response.status in RETRY_STATUSES)
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise RequestFailed("reply is not JSON", retry=True) from exc
        if not isinstance(data, dict):
            raise RequestFailed("reply is not a JSON object", retry=False)
        return data

    @staticmethod
    def _parse(data: dict[str, Any], latency: float) -> Completion:
        try:
            choice = data["choices"][0]
            text = choice["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            return Completion(status="error", error=f"unexpected reply shape: {json.dumps(data)[:200]}", latency_s=latency)
        usage = data.get("usage")
        tokens = usage.get("completion_tokens") if isinstance(usage, dict) else None
        return Completion(strip_stops(str(text)), "ok", None, tokens if isinstance(tokens, int) else None, latency)


def strip_stops(text: str, stops: Sequence[str] = STOP_SEQUENCES) -> str:
    """Cut at the first stop sequence (servers that ignore `stop` still give a clean reply)."""
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=len(text))
    return text[:cut]
