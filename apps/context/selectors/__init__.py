"""Reads behind the context endpoints and the search: one module per kind of context
(`tasks`, `people`, `search`); callers import from the module."""
