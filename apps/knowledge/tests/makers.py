"""Rows the knowledge tests resolve names against (model-bakery, in the current schema)."""

from model_bakery import baker

from apps.people.models import Client, Person
from apps.tasks.models import Project, Task


def make_person(owner, name, **fields) -> Person:
    return baker.make(Person, user=owner, name=name, email=fields.pop("email", None), **fields)


def make_client(owner, name, **fields) -> Client:
    return baker.make(Client, user=owner, name=name, **fields)


def make_project(owner, name, **fields) -> Project:
    return baker.make(Project, user=owner, name=name, parent=None, client=None, **fields)


def make_task(owner, title="Draft the Liberty follow-up", **fields) -> Task:
    return baker.make(Task, user=owner, title=title, project=None, blocking_question=None, **fields)
