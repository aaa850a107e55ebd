"""Playbooks API: listing, serving (which is consulting), matching, and must-consult enforcement
through the task loop (seed: "Playbooks", "Playbook Matching Algorithm", "Must-Consult Enforcement").

Trigger phrases: the seed calls them an "exact match". Here that means the whole phrase, in any
case, with any spacing: trigger "email" matches "Send the EMAIL" but not "emailing" (a substring
test would make "call" match "recall" and "meet" match "meeting"). Inflected forms are the
full-text similarity's job, which compares stemmed terms.
"""

import uuid

import pytest
from model_bakery import baker

from apps.activity.models import Log
from apps.playbooks.models import Playbook
from apps.tasks.models import Task


def _playbook(world, recipe="playbooks.playbook", **fields) -> Playbook:
    with world.schema():
        return baker.make_recipe(recipe, user=world.owner, **fields)


def _task(world, title, **fields) -> Task:
    with world.schema():
        return Task.objects.create(user=world.owner, title=title, **fields)


def _reload(world, playbook) -> Playbook:
    with world.schema():
        return Playbook.objects.defer("search_vector").get(pk=playbook.pk)


@pytest.fixture
def api(tenant_a):
    return tenant_a.api()


# --- GET /api/playbooks -----------------------------------------------------------------------

def test_list_shows_active_playbooks_by_default_paginated_with_previews(tenant_a, api):
    _playbook(tenant_a, "playbooks.email_guide")
    _playbook(tenant_a, name="scheduling", category="scheduling")
    _playbook(tenant_a, name="proposed one", status="proposed")
    _playbook(tenant_a, name="archived one", status="archived")
    response = api.get("/api/playbooks")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None
    assert [p["name"] for p in body["results"]] == ["email-drafting-guide", "scheduling"]
    first = body["results"][0]
    assert "content" not in first  # a list is not a consultation: full content only by id
    assert first["content_preview"].startswith("# Email Drafting Guide")
    assert first["must_consult"] is True and first["triggers"][0] == "draft email"
    assert api.get("/api/playbooks", {"limit": 1}).json()["next"] is not None


def test_list_filters_by_status_category_and_must_consult(tenant_a, api):
    _playbook(tenant_a, "playbooks.email_guide")
    _playbook(tenant_a, name="scheduling", category="scheduling")
    _playbook(tenant_a, name="proposed one", status="proposed", category="scheduling")

    def names(**query):
        response = api.get("/api/playbooks", query)
        assert response.status_code == 200, response.json()
        return [p["name"] for p in response.json()["results"]]

    assert names(status="proposed") == ["proposed one"]
    assert names(category="scheduling") == ["scheduling"]
    assert names(must_consult="true") == ["email-drafting-guide"]
    assert names(must_consult="false") == ["scheduling"]
    assert names(must_consult="") == ["email-drafting-guide", "scheduling"]


@pytest.mark.parametrize(("query", "field"), [({"status": "deleted"}, "status"), ({"must_consult": "maybe"}, "must_consult")])
def test_list_refuses_bad_filters_naming_the_parameter(api, query, field):
    response = api.get("/api/playbooks", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{field}:")


def test_list_needs_a_key(tenant_a):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/playbooks", HTTP_HOST=tenant_a.host)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


# --- GET /api/playbooks/match -----------------------------------------------------------------

def test_match_answers_exactly_the_seed_shape(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    body = api.get("/api/playbooks/match", {"task_description": "Draft email to Maria about the pilot"}).json()
    assert set(body) == {"matched", "must_consult"}
    assert [set(m) for m in body["matched"]] == [{"playbook", "match_reason", "relevance_score"}]
    assert [set(m) for m in body["must_consult"]] == [{"playbook", "warning"}]
    assert body["matched"][0]["playbook"]["id"] == str(guide.pk)
    assert body["must_consult"][0]["playbook"]["id"] == str(guide.pk)


def test_match_by_trigger_phrase_is_case_insensitive(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    body = api.get("/api/playbooks/match", {"task_description": "Write an EMAIL   TO Maria"}).json()
    assert body["matched"] == [{"playbook": body["matched"][0]["playbook"], "match_reason": "trigger: 'email to'",
                                "relevance_score": 1.0}]
    assert body["matched"][0]["playbook"]["id"] == str(guide.pk)


def test_match_by_trigger_phrase_needs_the_whole_phrase(tenant_a, api):
    _playbook(tenant_a, name="email etiquette", triggers=["email"], description="Etiquette for messages.")
    hit = api.get("/api/playbooks/match", {"task_description": "Send the email, then relax"}).json()["matched"]
    assert [m["match_reason"] for m in hit] == ["trigger: 'email'"]
    miss = api.get("/api/playbooks/match", {"task_description": "Clean up the emailing list"}).json()["matched"]
    assert not any(m["match_reason"].startswith("trigger") for m in miss)


def test_match_by_full_text_similarity_with_a_score(tenant_a, api):
    report = _playbook(tenant_a, name="board pack", description="Preparing the quarterly board report.")
    _playbook(tenant_a, name="unrelated", description="Booking flights and hotels.")
    # task terms (stemmed): prepar, quarter, board, report, acm -> 4 of 5 shared with the playbook
    body = api.get("/api/playbooks/match", {"task_description": "Prepare the quarterly board report for Acme"}).json()
    assert len(body["matched"]) == 1
    match = body["matched"][0]
    assert match["playbook"]["id"] == str(report.pk)
    assert match["relevance_score"] == pytest.approx(0.8)
    assert match["match_reason"].startswith("description similarity: ") and "'board'" in match["match_reason"]
    # one shared term of three is below the 0.5 threshold
    weak = api.get("/api/playbooks/match", {"task_description": "Board game night"}).json()
    assert weak["matched"] == []


def test_match_orders_by_relevance(tenant_a, api):
    _playbook(tenant_a, name="board pack", description="Preparing the quarterly board report.")
    _playbook(tenant_a, name="zz board", triggers=["board report"], description="Slides.")
    body = api.get("/api/playbooks/match", {"task_description": "Prepare the quarterly board report for Acme"}).json()
    assert [(m["playbook"]["name"], m["relevance_score"]) for m in body["matched"]] == [("zz board", 1.0),
                                                                                      ("board pack", 0.8)]


def test_match_reports_must_consult_playbooks_by_category_with_a_warning(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    _playbook(tenant_a, name="notes style", category="communication", must_consult=False)
    # no trigger phrase, little text in common: the task is communication work all the same
    body = api.get("/api/playbooks/match", {"task_description": "Reply with a short note to Patrick"}).json()
    assert [m["playbook"]["id"] for m in body["must_consult"]] == [str(guide.pk)]
    warning = body["must_consult"][0]["warning"]
    assert "MUST consult 'email-drafting-guide'" in warning and f"/api/playbooks/{guide.pk}?task_id=" in warning
    unrelated = api.get("/api/playbooks/match", {"task_description": "Renew the server certificate"}).json()
    assert unrelated == {"matched": [], "must_consult": []}


def test_match_ignores_playbooks_that_are_not_active(tenant_a, api):
    _playbook(tenant_a, "playbooks.email_guide", status="proposed")
    _playbook(tenant_a, "playbooks.email_guide", name="archived guide", status="archived")
    body = api.get("/api/playbooks/match", {"task_description": "Draft email to Maria"}).json()
    assert body == {"matched": [], "must_consult": []}


@pytest.mark.parametrize("query", [{}, {"task_description": ""}, {"task_description": "   "}])
def test_match_without_a_task_description_is_400_naming_the_field(api, query):
    response = api.get("/api/playbooks/match", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("task_description:")
    assert set(error["details"]) == {"task_description"}


# --- GET /api/playbooks/{id} ------------------------------------------------------------------

def test_get_serves_full_content_and_counts_each_use(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide", scripts={"check.py": "print(1)"})
    first = api.get(f"/api/playbooks/{guide.pk}")
    assert first.status_code == 200
    body = first.json()
    assert body["content"] == guide.content and body["scripts"] == {"check.py": "print(1)"}
    assert body["use_count"] == 1 and body["last_used"] is not None
    assert api.get(f"/api/playbooks/{guide.pk}").json()["use_count"] == 2
    stored = _reload(tenant_a, guide)
    assert stored.use_count == 2 and stored.last_used is not None
    with tenant_a.schema():
        logs = list(Log.objects.filter(action="playbook.consulted", entity_id=guide.pk))
    assert len(logs) == 2 and logs[0].details["task_id"] is None and logs[0].actor == "claude"


def test_get_with_task_id_records_the_consultation_for_that_task(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    task = _task(tenant_a, "Draft email to Maria")
    response = api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(task.pk)}, HTTP_X_SESSION_ID="loop-7")
    assert response.status_code == 200 and response.json()["use_count"] == 1
    with tenant_a.schema():
        log = Log.objects.get(action="playbook.consulted", entity_id=guide.pk)
    assert log.details == {"task_id": str(task.pk), "name": "email-drafting-guide"}
    assert log.entity_type == "playbook" and log.session_id == "loop-7"


def test_get_with_a_foreign_or_unknown_task_id_is_404_and_records_nothing(tenant_a, tenant_b, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    foreign = _task(tenant_b, "B's task")
    for task_id in (foreign.pk, uuid.uuid4()):
        response = api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(task_id)})
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["code"] == "not_found" and error["message"].startswith("task_id:")
    assert _reload(tenant_a, guide).use_count == 0
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consulted").exists()


def test_get_with_a_malformed_task_id_is_400(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    response = api.get(f"/api/playbooks/{guide.pk}", {"task_id": "not-a-uuid"})
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("task_id:")
    assert _reload(tenant_a, guide).use_count == 0


def test_get_unknown_or_foreign_playbook_is_404(tenant_a, tenant_b, api):
    foreign = _playbook(tenant_b, "playbooks.email_guide")
    for playbook_id in (foreign.pk, uuid.uuid4()):
        response = api.get(f"/api/playbooks/{playbook_id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert _reload(tenant_b, foreign).use_count == 0


# --- Must-consult enforcement through the task loop (principle 6) ------------------------------

def _complete(api, task) -> dict:
    response = api.post(f"/api/tasks/{task.pk}/complete", {"output": "Drafted", "learnings_captured": False},
                        format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_consulting_with_task_id_then_completing_gives_no_must_consult_warning(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    task = _task(tenant_a, "Draft email to Maria")
    api.post(f"/api/tasks/{task.pk}/start")
    assert api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(task.pk)}).status_code == 200
    assert _complete(api, task)["warnings"] == []
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consult_skipped").exists()


def test_completing_without_consulting_warns_and_logs(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    task = _task(tenant_a, "Draft email to Maria")
    api.post(f"/api/tasks/{task.pk}/start")
    warnings = _complete(api, task)["warnings"]
    assert [(w["code"], w["playbook_id"]) for w in warnings] == [("must_consult_skipped", str(guide.pk))]
    with tenant_a.schema():
        skipped = Log.objects.get(action="playbook.consult_skipped")
    assert skipped.entity_id == guide.pk and skipped.details["task_id"] == str(task.pk)


def test_consulting_for_another_task_or_without_a_task_does_not_count(tenant_a, api):
    guide = _playbook(tenant_a, "playbooks.email_guide")
    task = _task(tenant_a, "Draft email to Maria")
    other = _task(tenant_a, "Draft email to Patrick")
    api.get(f"/api/playbooks/{guide.pk}")
    api.get(f"/api/playbooks/{guide.pk}", {"task_id": str(other.pk)})
    api.post(f"/api/tasks/{task.pk}/start")
    assert [w["playbook_id"] for w in _complete(api, task)["warnings"]] == [str(guide.pk)]
    assert _reload(tenant_a, guide).use_count == 2
