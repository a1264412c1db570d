"""The local progress store (SQLite through sqlite-utils): schema, migrations, profiles."""
