"""GET /api/context/search: ranked PostgreSQL full-text search over tasks, people, playbooks, projects
and clients, in web-search syntax, served by the GIN indexes."""

import pytest
from django.db import connection

from apps.context.selectors.search import SOURCES, search_queryset
from apps.core.filters import websearch


def _search(world, **params):
    response = world.api().get("/api/context/search", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_a_title_match_outranks_a_body_match(tenant_a):
    body_match = tenant_a.make("tasks.task", title="Call Patrick",
                               description="Walk him through the renewal proposal before Friday.")
    title_match = tenant_a.make("tasks.task", title="Liberty renewal proposal")
    tenant_a.make("tasks.task", title="Unrelated", description="Nothing to see")
    body = _search(tenant_a, q="proposal")
    assert body["query"] == "proposal"
    assert [r["id"] for r in body["results"]] == [str(title_match.pk), str(body_match.pk)]
    first, second = body["results"]
    assert first["rank"] > second["rank"] > 0
    assert first == {**first, "entity_type": "task", "title": "Liberty renewal proposal", "status": "queued"}
    assert "**proposal**" in second["snippet"] and second["snippet"].startswith("Walk him through")
    assert body["counts"] == {"task": 2, "person": 0, "playbook": 0, "project": 0, "client": 0}
    assert body["total"] == 2


def test_results_from_every_entity_type_ordered_by_rank(tenant_a):
    with tenant_a.schema():
        client = tenant_a.make("people.client", name="Liberty Hotels", notes="Five hotels in Boston")
        person = tenant_a.make("people.person", name="Patrick Chen", company="Liberty Hotels", title="VP Operations",
                               client=client)
        project = tenant_a.make("tasks.project", name="Phase 2", description="Liberty rollout, wave two")
        playbook = tenant_a.make("playbooks.playbook", name="Hotel onboarding", content="...",
                                 description="How we onboard a hotel group like Liberty")
        task = tenant_a.make("tasks.task", title="Liberty kickoff")
    body = _search(tenant_a, q="liberty")
    found = {(r["entity_type"], r["id"]) for r in body["results"]}
    assert found == {("client", str(client.pk)), ("person", str(person.pk)), ("project", str(project.pk)),
                     ("playbook", str(playbook.pk)), ("task", str(task.pk))}
    ranks = [r["rank"] for r in body["results"]]
    assert ranks == sorted(ranks, reverse=True)
    # names and titles (weight A) first: the client and the task, then the bodies
    assert {r["entity_type"] for r in body["results"][:2]} == {"client", "task"}
    person_hit = next(r for r in body["results"] if r["entity_type"] == "person")
    assert person_hit["title"] == "Patrick Chen" and "**Liberty**" in person_hit["snippet"]
    assert person_hit["status"] is None
    assert body["counts"] == {"task": 1, "person": 1, "playbook": 1, "project": 1, "client": 1}


def test_words_are_stemmed(tenant_a):
    task = tenant_a.make("tasks.task", title="Draft follow-up email to Patrick")
    assert [r["id"] for r in _search(tenant_a, q="drafting")["results"]] == [str(task.pk)]
    assert [r["id"] for r in _search(tenant_a, q="emails")["results"]] == [str(task.pk)]


def test_websearch_syntax_excludes_a_word_and_matches_a_phrase(tenant_a):
    patrick = tenant_a.make("tasks.task", title="Email Patrick about the contract")
    tenant_a.make("tasks.task", title="Email Maria about the contract")
    phrase = tenant_a.make("tasks.task", title="Send the renewal proposal to Legal")
    tenant_a.make("tasks.task", title="Proposal: renewal terms")
    assert [r["id"] for r in _search(tenant_a, q="email -maria")["results"]] == [str(patrick.pk)]
    assert [r["id"] for r in _search(tenant_a, q='"renewal proposal"')["results"]] == [str(phrase.pk)]
    assert len(_search(tenant_a, q="renewal proposal")["results"]) == 2
    assert {r["title"] for r in _search(tenant_a, q="maria or legal")["results"]} == {
        "Email Maria about the contract", "Send the renewal proposal to Legal"}


def test_stop_words_alone_find_nothing(tenant_a):
    tenant_a.make("tasks.task", title="The plan")
    assert _search(tenant_a, q="the")["results"] == []


@pytest.mark.parametrize("params", [
    {"entity_types": ["task", "person"]},
    {"entity_types": "task,person"},
    {"entity_types": "task, person,"},
    {"entity_types[]": ["task", "person"]},
])
def test_entity_types_filter_repeated_or_comma_separated(tenant_a, params):
    with tenant_a.schema():
        tenant_a.make("people.person", name="Maria Budget")
        tenant_a.make("people.client", name="Budget Corp")
    tenant_a.make("tasks.task", title="Budget review")
    body = _search(tenant_a, q="budget", **params)
    assert sorted(r["entity_type"] for r in body["results"]) == ["person", "task"]
    assert body["counts"] == {"task": 1, "person": 1}


def test_unknown_entity_type_is_a_400_listing_the_valid_ones(tenant_a):
    response = tenant_a.api().get("/api/context/search", {"q": "x", "entity_types": "task,meeting"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("entity_types: unknown entity type 'meeting'")
    assert "task, person, playbook, project, client" in error["message"]
    assert "entity_types" in error["details"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_missing_or_empty_q_is_a_400(tenant_a, params):
    response = tenant_a.api().get("/api/context/search", params)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("q:")


def test_limit_cuts_the_results_not_the_counts(tenant_a):
    with tenant_a.schema():
        tenant_a.make("tasks.task", _quantity=7, title=(f"Invoice {i}" for i in range(7)))
        tenant_a.make("people.person", name="Ivy", context_notes="Sends the invoice")
    body = _search(tenant_a, q="invoice", limit=3)
    assert len(body["results"]) == 3
    assert {r["entity_type"] for r in body["results"]} == {"task"}  # title matches outrank the note
    assert body["counts"] == {"task": 7, "person": 1, "playbook": 0, "project": 0, "client": 0}
    assert len(_search(tenant_a, q="invoice")["results"]) == 8


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_bad_limit_is_a_400(tenant_a, limit):
    response = tenant_a.api().get("/api/context/search", {"q": "x", "limit": limit})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("limit:")


def test_tenant_b_never_finds_tenant_a_rows(tenant_a, tenant_b):
    tenant_a.make("tasks.task", title="Quarterly zebracorn review")
    with tenant_a.schema():
        tenant_a.make("people.person", name="Zebracorn Smith")
    own = tenant_b.make("tasks.task", title="Zebracorn audit")
    body = _search(tenant_b, q="zebracorn")
    assert [r["id"] for r in body["results"]] == [str(own.pk)]
    assert body["counts"]["person"] == 0
    assert len(_search(tenant_a, q="zebracorn")["results"]) == 2


FILLER = "weekly status notes about budgets meetings and travel"


def _many_rows(world, entity_type: str, n: int):
    """n rows of one searchable type, one of which holds a rare word."""
    recipe, name, text, extra = {
        "task": ("tasks.task", "title", "description", {}),
        "person": ("people.person", "name", "context_notes", {}),
        "playbook": ("playbooks.playbook", "name", "description", {"content": "x"}),
        "project": ("tasks.project", "name", "description", {}),
        "client": ("people.client", "name", "notes", {}),
    }[entity_type]
    label = entity_type.capitalize()
    world.make(recipe, _quantity=n, _bulk_create=True, **extra, **{
        name: (f"{label} {i}" for i in range(n)),
        text: ("quokka sighting" if i == n // 2 else f"{FILLER} {i}" for i in range(n))})


@pytest.mark.parametrize("entity_type", list(SOURCES))
def test_the_search_uses_the_gin_index(tenant_a, entity_type):
    """The ranked, limited query the selector runs filters with the GIN index (an ORDER BY … LIMIT
    can lead the planner elsewhere), over 5000 rows with planner statistics."""
    source = SOURCES[entity_type]
    index = next(i.name for i in source.model._meta.indexes if i.name.endswith("_search"))
    with tenant_a.schema():
        _many_rows(tenant_a, entity_type, 5000)
        with connection.cursor() as cursor:
            # what autovacuum does on a live table: fold the fresh rows' GIN pending list into the
            # index (VACUUM cannot run inside the test's transaction) and gather statistics
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ANALYZE {source.model._meta.db_table}")
        queryset = search_queryset(user=tenant_a.owner, entity_type=entity_type, query=websearch("quokka"),
                                   limit=20)
        plan = queryset.explain()
        assert len(list(queryset)) == 1
    assert f"Bitmap Index Scan on {index}" in plan, plan
