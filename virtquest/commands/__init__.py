"""Command-line subcommands: each module registers its parser and handles its command."""
