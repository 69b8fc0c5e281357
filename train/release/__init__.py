"""Release: merge the trained adapter into the 16-bit base (streamed shard by shard), convert to
GGUF with llama.cpp's own converter, quantize through llama.cpp's C API, verify the files against
the merged model, and package them with an Ollama Modelfile and a model card (docs/release.md)."""
