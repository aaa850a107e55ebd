"""Reads behind the context endpoints and the search: one module per kind of context."""

from .people import client_context, person_context
from .search import context_search
from .tasks import project_context, task_context, task_context_full

__all__ = ["client_context", "context_search", "person_context", "project_context", "task_context",
           "task_context_full"]
