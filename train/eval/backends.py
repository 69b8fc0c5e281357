"""Where completions come from: an OpenAI-compatible server, transformers in process (optionally
with a LoRA adapter; 4-bit on CUDA, fp32 on CPU; batched), or a GGUF through llama-cpp-python.

Every backend takes `ChatRequest`s (messages in the training format, decoding parameters, seed)
and returns `Completion`s in order; local backends render the prompt with the training ChatML
(`train.eval.prompts.render_prompt`) and stop at `<|im_end|>` / `<|endoftext|>`. torch,
transformers and llama_cpp are imported only when such a backend is built."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from curate.safeio import UnsafeFile, check_file, printable_path, read_guarded
from train.eval.client import ChatClient, ChatRequest, Completion, strip_stops
from train.eval.config import EvalConfig, ModelSpec
from train.eval.prompts import render_prompt

OnDone = Callable[[int, Completion], None]


class Backend(Protocol):
    identity: dict[str, Any]  # what makes its completions differ from another model's (cache key)

    def generate(self, requests: Sequence[ChatRequest], on_done: OnDone | None = None) -> list[Completion]: ...

    def close(self) -> None: ...


def file_digest(path: Path, limit: int = 64 << 20) -> str:
    """sha256 of a small file, or of its size and mtime when large (a GGUF of gigabytes); a FIFO
    or device link is a ValueError naming it (the guarded reader), never read."""
    try:
        stat = check_file(path, None)
        if stat.st_size > limit:
            return f"size={stat.st_size};mtime={int(stat.st_mtime)}"
        return hashlib.sha256(read_guarded(path, limit)).hexdigest()
    except UnsafeFile as exc:
        raise ValueError(f"{printable_path(path)}: {exc.message}") from None


def folder_digest(folder: Path, names: Sequence[str]) -> str | None:
    found = [folder / n for n in names if (folder / n).is_file()]
    return hashlib.sha256("".join(file_digest(p) for p in found).encode()).hexdigest()[:16] if found else None


def _check_local_model(model: Path, adapter: Path | None) -> None:
    """The local model and adapter folders transformers and PEFT will open (for a hub id: its
    snapshot in the local cache), checked first (train/model_files.py): ValueError naming the
    file, the config's model is refused."""
    from train.model_files import check_model_folder
    from train.release.base import hub_cache, looks_like_repo_id
    from train.training.errors import TrainingError

    if not model.is_dir() and looks_like_repo_id(str(model)):
        model = hub_cache(str(model)) or model
    for folder in (model, adapter):
        if folder is not None and folder.is_dir():
            try:
                check_model_folder(folder, "EVL002")
            except TrainingError as exc:
                raise ValueError("; ".join(f"{d.path}: {d.message}" for d in exc.diagnostics)) from None


class OpenAIBackend:
    def __init__(self, spec: ModelSpec, config: EvalConfig, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        key = env.get(spec.api_key_env) if spec.api_key_env else None
        if spec.api_key_env and not key:
            raise ValueError(f"model {spec.name!r}: the environment variable {spec.api_key_env} (api_key_env) is not set")
        assert spec.base_url and spec.model
        self.client = ChatClient(spec.base_url, spec.model, key, config.timeout_s, config.retries, concurrency=config.concurrency)
        self.identity = {"backend": "openai", "base_url": spec.base_url, "model": spec.model}

    def generate(self, requests: Sequence[ChatRequest], on_done: OnDone | None = None) -> list[Completion]:
        return self.client.complete_many(requests, on_done)

    def close(self) -> None:
        pass


class TransformersBackend:
    """Batched `generate()`: prompts sorted by length, left padding, greedy at temperature 0."""

    def __init__(self, spec: ModelSpec) -> None:
        assert spec.model
        self.spec = spec
        self.model_name: str = spec.model
        self.adapter = spec.resolved_adapter()
        local = Path(spec.model)
        _check_local_model(local, self.adapter)
        self.identity = {
            "backend": "transformers", "model": spec.model,
            "model_digest": folder_digest(local, ["config.json", "model.safetensors", "model.safetensors.index.json"]) if local.is_dir() else None,
            "adapter": self.adapter.as_posix() if self.adapter else None,
            "adapter_digest": folder_digest(self.adapter, ["adapter_model.safetensors", "adapter_config.json"]) if self.adapter else None,
        }  # fmt: skip
        self._model: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from train.training.chat import END_OF_TEXT, IM_END

        source = str(self.adapter) if self.adapter and (self.adapter / "tokenizer_config.json").is_file() else self.model_name
        tokenizer = AutoTokenizer.from_pretrained(source)
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            tokenizer.pad_token = END_OF_TEXT
        kwargs: dict[str, Any] = {}
        if torch.cuda.is_available():
            kwargs.update(dtype=torch.bfloat16, device_map={"": 0})
            if self.spec.load_in_4bit:
                from transformers import BitsAndBytesConfig

                kwargs["quantization_config"] = BitsAndBytesConfig(
                    load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=torch.bfloat16
                )
        else:
            kwargs.update(dtype=torch.float32)
        model: Any = AutoModelForCausalLM.from_pretrained(self.model_name, **kwargs)
        if self.adapter:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, str(self.adapter))
        model.eval()
        self._stop_ids = [i for i in (tokenizer.convert_tokens_to_ids(t) for t in (IM_END, END_OF_TEXT)) if isinstance(i, int) and i >= 0]
        self._model, self._tokenizer = model, tokenizer

    def generate(self, requests: Sequence[ChatRequest], on_done: OnDone | None = None) -> list[Completion]:
        import torch

        if self._model is None:
            self._load()
        model, tokenizer = self._model, self._tokenizer
        texts = [render_prompt(r.messages) for r in requests]
        # one batch = same decoding parameters; longest first so padding stays small
        order = sorted(range(len(requests)), key=lambda i: (requests[i].params.to_json().__repr__(), -len(texts[i])))
        results: list[Completion | None] = [None] * len(requests)
        size = self.spec.batch_size
        batches: list[list[int]] = []
        for i in order:
            if batches and len(batches[-1]) < size and requests[batches[-1][0]].params == requests[i].params:
                batches[-1].append(i)
            else:
                batches.append([i])
        for batch in batches:
            params = requests[batch[0]].params
            encoded = tokenizer([texts[i] for i in batch], return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
            sampling = params.temperature > 0
            torch.manual_seed(requests[batch[0]].seed)
            started = time.perf_counter()
            with torch.inference_mode():
                output = model.generate(
                    **encoded, max_new_tokens=params.max_tokens, do_sample=sampling,
                    temperature=params.temperature if sampling else None, top_p=params.top_p if sampling else None,
                    top_k=None, eos_token_id=self._stop_ids, pad_token_id=tokenizer.pad_token_id,
                )  # fmt: skip
            latency = time.perf_counter() - started
            new = output[:, encoded["input_ids"].shape[1] :]
            for row, index in enumerate(batch):
                ids = new[row].tolist()
                length = next((n + 1 for n, t in enumerate(ids) if t in self._stop_ids), len(ids))
                text = strip_stops(tokenizer.decode(ids[:length], skip_special_tokens=False), params.stop)
                results[index] = Completion(text, "ok", None, length, latency)
                if on_done is not None:
                    on_done(index, results[index])  # type: ignore[arg-type]
        return [r if r is not None else Completion(status="error", error="not generated") for r in results]

    def close(self) -> None:
        self._model = self._tokenizer = None


class LlamaCppBackend:
    """A GGUF in process through llama-cpp-python (sequential; the GPU build offloads layers)."""

    def __init__(self, spec: ModelSpec) -> None:
        assert spec.gguf
        self.spec = spec
        self.path = Path(spec.gguf)
        if not self.path.is_file():
            raise FileNotFoundError(f"model {spec.name!r}: GGUF file {spec.gguf} not found")
        self.identity = {"backend": "llamacpp", "gguf": self.path.as_posix(), "digest": file_digest(self.path), "n_ctx": spec.n_ctx}
        self._llm: Any = None

    def generate(self, requests: Sequence[ChatRequest], on_done: OnDone | None = None) -> list[Completion]:
        if self._llm is None:
            from llama_cpp import Llama

            self._llm = Llama(model_path=str(self.path), n_ctx=self.spec.n_ctx, n_gpu_layers=self.spec.n_gpu_layers, verbose=False)
        results = []
        for index, request in enumerate(requests):
            params = request.params
            started = time.perf_counter()
            try:
                out = self._llm.create_completion(
                    render_prompt(request.messages), max_tokens=params.max_tokens, temperature=params.temperature,
                    top_p=params.top_p, stop=list(params.stop), seed=request.seed,
                )  # fmt: skip
                usage = out.get("usage") or {}
                completion = Completion(
                    strip_stops(out["choices"][0]["text"], params.stop), "ok", None, usage.get("completion_tokens"), time.perf_counter() - started
                )
            except (ValueError, RuntimeError) as exc:  # e.g. prompt longer than n_ctx
                completion = Completion(status="error", error=f"{exc.__class__.__name__}: {exc}", latency_s=time.perf_counter() - started)
            results.append(completion)
            if on_done is not None:
                on_done(index, completion)
        return results

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
            self._llm = None


def make_backend(spec: ModelSpec, config: EvalConfig) -> Backend:
    if spec.backend == "openai":
        return OpenAIBackend(spec, config)
    if spec.backend == "llamacpp":
        return LlamaCppBackend(spec)
    return TransformersBackend(spec)
