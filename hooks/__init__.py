"""pre-commit entry points, one small module per hook, each with `main(argv) -> int`."""
