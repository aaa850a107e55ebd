"""Who decides (issue #8, "Who decides"): an agent key proposes, drafts and asks; the owner decides.

Every owner decision answers 403 `owner_decision` to an agent key, naming the page where the owner
decides, and writes nothing; the owner's key and his browser session make it, and the Log (and a
question's answered_by) name him as the one who acted."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.activity.models import Actor, Log
from conftest import OWNER_PASSWORD

PROPOSAL = {"name": "Wins note", "description": "The Friday wins note.", "content": "# Wins\n\nThree lines."}


def _proposed(world):
    return world.make("playbooks.playbook", name="proposed one", status="proposed")


# (name, make the row it acts on, method, url, body, the page the 403 names)
DECISIONS = [
    ("approve a draft", lambda w: w.make("drafts.email"), "post", "/api/drafts/{id}/approve", {}, "/drafts/{id}/"),
    ("reject a draft", lambda w: w.make("drafts.email"), "post", "/api/drafts/{id}/reject",
     {"feedback": "Too long."}, "/drafts/{id}/"),
    ("approve a playbook", _proposed, "put", "/api/playbooks/{id}/approve", {}, "/playbooks/{id}/"),
    ("reject a playbook", _proposed, "put", "/api/playbooks/{id}/reject", {"reason": "No."}, "/playbooks/{id}/"),
    ("create an active playbook", lambda w: None, "post", "/api/playbooks", PROPOSAL, "/playbooks/"),
    ("edit an active playbook", lambda w: w.make("playbooks.playbook"), "patch", "/api/playbooks/{id}",
     {"content": "# Changed"}, "/playbooks/{id}/"),
    ("make a proposal must-consult", _proposed, "patch", "/api/playbooks/{id}", {"must_consult": True},
     "/playbooks/{id}/"),
    ("import a playbook", lambda w: None, "post", "/api/playbooks/import",
     {"content": "---\nname: imported\ndescription: From a file.\n---\n# Imported\n"}, "/playbooks/"),
    ("answer a question", lambda w: w.make("questions.question"), "put", "/api/questions/{id}/answer",
     {"answer": "Yes."}, "/questions/{id}/"),
    ("dismiss a question", lambda w: w.make("questions.question"), "put", "/api/questions/{id}/dismiss",
     {"reason": "Moot."}, "/questions/{id}/"),
    ("route pending knowledge", lambda w: w.make("knowledge.pending"), "post", "/api/knowledge/{id}/route",
     {"target_type": "user_settings"}, "/knowledge/{id}/"),
    ("dismiss pending knowledge", lambda w: w.make("knowledge.pending"), "post", "/api/knowledge/{id}/dismiss",
     {"reason": "Not a learning."}, "/knowledge/{id}/"),
]


CREATING = {"create an active playbook", "import a playbook"}  # 201; every other decision answers 200


def _call(client, decision, world):
    _, make, method, url, body, page = decision
    row = make(world)
    row_id = str(row.pk) if row is not None else ""
    response = getattr(client, method)(url.format(id=row_id), body, format="json")
    return response, page.format(id=row_id)


def _session(world) -> APIClient:
    """The owner logged in on his workspace's host, as his browser is."""
    client = APIClient(HTTP_HOST=world.host)
    response = client.post("/admin/login/", {"username": world.owner.email, "password": OWNER_PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("decision", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_an_agent_key_may_not_make_the_owners_decision(tenant_a, decision):
    with tenant_a.schema():
        logs_before = Log.objects.count()
    response, page = _call(tenant_a.api(), decision, tenant_a)
    assert response.status_code == 403, response.json()
    error = response.json()["error"]
    assert error["code"] == "owner_decision" and page in error["message"] and error["details"]["page"] == page
    with tenant_a.schema():
        assert Log.objects.count() == logs_before  # nothing written


@pytest.mark.parametrize("decision", DECISIONS, ids=[d[0] for d in DECISIONS])
@pytest.mark.parametrize("who", ["owner key", "owner session"])
def test_the_owner_makes_it_and_the_log_names_him(tenant_a, decision, who):
    client = tenant_a.owner_api() if who == "owner key" else _session(tenant_a)
    with tenant_a.schema():
        logs_before = set(Log.objects.values_list("pk", flat=True))
    response, _ = _call(client, decision, tenant_a)
    assert response.status_code == (201 if decision[0] in CREATING else 200), response.json()
    with tenant_a.schema():
        new = Log.objects.exclude(pk__in=logs_before)
        assert new.exists() and set(new.values_list("actor", flat=True)) == {Actor.USER}


def test_an_answer_is_recorded_as_the_owners_whatever_the_body_says(tenant_a, owner_api):
    question = tenant_a.make("questions.question")
    refused = owner_api.put(f"/api/questions/{question.pk}/answer", {"answer": "Yes.", "answered_by": "claude"},
                            format="json")
    assert refused.status_code == 400 and refused.json()["error"]["message"].startswith("answered_by:")
    body = owner_api.put(f"/api/questions/{question.pk}/answer", {"answer": "Yes."}, format="json").json()
    assert body["question"]["answered_by"] == "user"


def test_an_agent_still_proposes_edits_its_proposals_and_settles_captured_learnings(tenant_a, api):
    proposed = api.post("/api/playbooks/propose", PROPOSAL, format="json")
    assert proposed.status_code == 201
    playbook_id = proposed.json()["playbook"]["id"]
    assert api.patch(f"/api/playbooks/{playbook_id}", {"content": "# Wins\n\nFour lines."},
                     format="json").status_code == 200
    entry = tenant_a.make("knowledge.trigger_entry")  # captured, not pending review: Claude's to route
    assert api.post(f"/api/knowledge/{entry.pk}/route", {}, format="json").status_code == 200
    draft = tenant_a.make("drafts.email")
    assert api.post(f"/api/drafts/{draft.pk}/revise", {"body": "Shorter."}, format="json").status_code == 201


@pytest.mark.parametrize(("arguments", "role"), [([], "agent"), (["--role", "owner"], "owner"),
                                                 (["--role", "agent"], "agent")])
def test_create_api_key_makes_a_key_of_its_role(tenant_a, arguments, role):
    out = StringIO()
    call_command("create_api_key", tenant_a.tenant.slug, tenant_a.owner.email, "--json", *arguments, stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["role"] == role and printed["api_key"].startswith("etk_")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=printed["api_key"])
    question = tenant_a.make("questions.question")
    answered = client.put(f"/api/questions/{question.pk}/answer", {"answer": "Yes."}, format="json")
    assert answered.status_code == (200 if role == "owner" else 403)


def test_create_tenant_json_prints_an_agent_key(tenant_a):
    from apps.accounts.selectors import api_key_resolve

    out = StringIO()
    call_command("create_tenant", "roles-check", "--name", "Roles", "--owner-email", "o@roles.example", "--json",
                 stdout=out)
    try:
        assert api_key_resolve(raw_key=json.loads(out.getvalue())["api_key"]).role == "agent"
    finally:
        from apps.tenants.models import Tenant
        from apps.tenants.services import tenant_delete

        tenant_delete(tenant=Tenant.objects.get(slug="roles-check"))
