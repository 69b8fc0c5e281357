"""`bbj-mcp`: an MCP server that gives any assistant (Claude, Cursor, VS Code, ...) the toolkit's
BBj checker, the BBj API data and, through a locally served model, checked BBj generation.

Named `bbj_mcp`, not `mcp`, so it never shadows the official SDK. Nothing here imports torch or
transformers (a test checks it): the server starts in about a second and only talks HTTP to
whatever serves the model. See docs/mcp.md."""
