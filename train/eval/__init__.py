"""Evaluation: compile@1 / compile@k by category against baselines, repair, HumanEval forgetting.

Shared, torch-free modules (the MCP server reuses them; see docs/evaluation.md):
`train.eval.client` (OpenAI-compatible chat client), `train.eval.prompts` (the training chat
format), `train.eval.extract` (code from a reply), `train.eval.judge` (the compile check on
extracted code) and `train.eval.repair` (diagnostics back as a user turn, up to N rounds).
Everything that needs torch, transformers or llama-cpp-python loads inside a function."""
