"""Click subcommands of `bbj-curate`, one module each, loaded lazily by `curate.cli`."""
