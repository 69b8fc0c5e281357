"""Training side: ChatML conversion, legacy import, splits, corpus, QLoRA stages, export.

Heavy libraries (torch, transformers, peft, trl) are imported lazily, only by the stages that need them."""
