"""`python -m bot`: the lessonbot command line."""

from bot.cli import main

raise SystemExit(main())
