"""The data pipeline: curated examples and legacy ChatML in, training records, splits and the
Stage 1 corpus out. Nothing here imports torch or transformers (a test checks it)."""
