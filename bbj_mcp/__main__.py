"""`python -m bbj_mcp` is `bbj-mcp`."""

from bbj_mcp.cli import main

raise SystemExit(main())
