"""Click subcommands of `bbj-train`, one module each, loaded lazily by `train.cli`."""
