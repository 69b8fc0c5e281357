"""The review TUI (`bbj-curate review`): a Textual app over the curation core. Textual is
imported only here, so the command line and the hooks never pay for it."""
