"""`bbj-train serve dist/<name>`: an OpenAI-compatible API (llama-cpp-python's server) on
127.0.0.1 for a release made by `bbj-train export`; `bbj-train eval`'s openai backend and any
OpenAI client can use it."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("release", type=click.Path(path_type=Path, exists=True))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--n-ctx", "n_ctx", default=None, type=click.IntRange(16), help="Context length (default: the Modelfile's num_ctx).")
@click.option("--threads", default=None, type=click.IntRange(1), help="CPU threads (default: llama.cpp's choice).")
@click.option("--alias", default=None, help="Model name clients send (default: the release folder name).")
def serve(release: Path, port: int, n_ctx: int | None, threads: int | None, alias: str | None) -> int:
    """Serve a release on http://127.0.0.1:PORT/v1 (chat and completions; send max_tokens)."""
    from train.release.serve import exec_server, find_target, server_argv

    target = find_target(release, n_ctx, alias)
    argv = server_argv(target, port, threads)
    click.echo(f"serving {target.gguf.name} as {target.alias!r} on http://127.0.0.1:{port}/v1 (n_ctx {target.n_ctx})", err=True)
    exec_server(argv)
    return 0  # not reached: exec_server replaces this process
