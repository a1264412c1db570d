"""The game: choices, runs, verdicts, stars, solver, review scheduling, XP and achievements."""
