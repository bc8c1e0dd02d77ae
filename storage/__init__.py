"""Storage: SQLAlchemy 2 models and repositories implementing the core's ports."""
