"""`python -m virtquest` is the same as the `virtquest` command."""

from virtquest.cli import main

raise SystemExit(main())
