"""QLoRA training: backends (Unsloth, transformers + PEFT), Stage 1 continued pretraining on the
packed corpus, Stage 2 assistant-only instruction tuning, run folders, metrics and resume.

Imports torch, transformers, peft and trl lazily: `bbj-train --help` stays instant."""
