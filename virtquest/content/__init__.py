"""Content: pydantic models and loaders for levels, quizzes and cost profiles."""
