"""One playbook as a file in the seed's "Playbook Structure" format (YAML front matter + markdown):
GET /api/playbooks/{id}/export and POST /api/playbooks/import. The round trip is exact: export →
import (in a fresh workspace) → export gives the same bytes."""

import pytest

from apps.activity.models import Log
from apps.core.errors import InvalidInput
from apps.demo.content import EMAIL_GUIDE_FILE
from apps.demo.services import demo_seed
from apps.playbooks.models import Playbook
from apps.playbooks.portable import playbook_export, playbook_parse

# The seed's example file, verbatim (seed: "Playbook Structure"); the demo's email guide is made from it.
SEED_FILE = EMAIL_GUIDE_FILE

FILE_FIELDS = ["name", "description", "must_consult", "triggers", "category", "learned_from", "examples", "scripts",
               "references", "content"]


def _fields(playbook: Playbook) -> dict:
    return {key: getattr(playbook, key) for key in FILE_FIELDS}


def _export(api, playbook_id) -> dict:
    response = api.get(f"/api/playbooks/{playbook_id}/export")
    assert response.status_code == 200, response.json()
    return response.json()


def _import(api, text, expected_status=201) -> dict:
    response = api.post("/api/playbooks/import", {"content": text}, format="json")
    assert response.status_code == expected_status, response.json()
    return response.json()


def _get(world, **lookup) -> Playbook:
    with world.schema():
        return Playbook.objects.defer("search_vector").get(**lookup)


# --- the round trip ----------------------------------------------------------------------------------

def test_demo_email_guide_round_trips_byte_for_byte_through_a_fresh_workspace(tenant_a, tenant_b):
    demo_seed(tenant=tenant_a.tenant)
    original = _get(tenant_a, name="email-drafting-guide")

    exported = _export(tenant_a.api(), original.pk)
    assert exported["filename"] == "email-drafting-guide.md"
    text = exported["content"]
    assert text.startswith("---\nname: email-drafting-guide\ndescription: Guide for drafting external emails.")
    assert "\nmust_consult: true\ntriggers:\n  - draft email\n  - email to\n" in text
    assert text.endswith("---\n\n" + original.content)

    with tenant_b.schema():
        assert not Playbook.objects.filter(name="email-drafting-guide").exists()
    result = _import(tenant_b.owner_api(), text)
    assert result["created"] is True and result["playbook"]["status"] == "active"
    copy = _get(tenant_b, pk=result["playbook"]["id"])
    assert _fields(copy) == _fields(original)

    again = _export(tenant_b.api(), copy.pk)
    assert again == exported  # byte-identical text, same file name
    # the source workspace is untouched by the import into the other one
    assert _get(tenant_a, pk=original.pk).updated_at == original.updated_at


def test_the_seeds_own_file_imports_and_then_round_trips(tenant_a, tenant_b):
    result = _import(tenant_a.owner_api(), SEED_FILE)
    playbook = _get(tenant_a, pk=result["playbook"]["id"])
    assert playbook.description == ("Guide for drafting external emails. MUST consult before ANY email. "
                                    "Covers tone, relationship awareness, strategic considerations.\n")  # YAML's >
    assert playbook.triggers == ["draft email", "email to", "reply to", "follow up with"]
    assert playbook.must_consult is True and playbook.category == "communication"
    assert playbook.content == SEED_FILE.split("---\n\n", 1)[1]
    first = _export(tenant_a.api(), playbook.pk)["content"]
    copy = _import(tenant_b.owner_api(), first)["playbook"]
    assert _export(tenant_b.api(), copy["id"])["content"] == first


AWKWARD = [
    {"content": "no trailing newline"},
    {"content": "\n\nstarts with blank lines\n\n\n"},
    {"content": "---\nnot: front matter\n---\n\nA body with its own rules\n---\n"},
    {"content": "Windows\r\nline endings\r\n"},
    {"content": "Ünïcödé — “quotes”, emoji 🚀 and a tab\there"},
    {"description": "line one\nline two\n\n  indented\n", "learned_from": "yes"},
    {"description": "'quoted' \"double\" # not a comment: still text", "learned_from": "2026-01-15"},
    {"name": "- looks like a list", "category": ""},
    {"name": "true", "category": "null", "learned_from": None},
    {"triggers": ["yes", "no", "on", "1.5", "~", "#tag", "a: b", "  padded  "]},
    {"scripts": {"check.py": "print(1)\n---\n  x  \n", "t.sh": "a\n\n\n", "lead.txt": " lead\nx",
                 "trail.txt": "trail \nx", "---": "---"},
     "references": {"notes.md": "# Notes\n\n- one\n"}},
    {"examples": [{"situation": "Follow-up", "steps": ["a", "b"], "ok": True, "n": 3, "x": 1.5, "none": None},
                  "a plain example"]},
    {"must_consult": True, "triggers": []},
]


@pytest.mark.parametrize("fields", AWKWARD)
def test_round_trip_is_exact_for_awkward_values(tenant_a, tenant_b, fields):
    original = tenant_a.make("playbooks.playbook", **fields)
    first = _export(tenant_a.api(), original.pk)["content"]
    copy = _import(tenant_b.owner_api(), first)["playbook"]
    assert _fields(_get(tenant_b, pk=copy["id"])) == _fields(_get(tenant_a, pk=original.pk))
    assert _export(tenant_b.api(), copy["id"])["content"] == first


def test_parse_is_the_inverse_of_export():
    playbook = Playbook(name="n", description="d", content="# c\n", triggers=["t"], must_consult=False,
                        category=None, learned_from=None, examples=[], scripts={}, references={})
    text = playbook_export(playbook=playbook)
    assert text == "---\nname: n\ndescription: d\nmust_consult: false\ntriggers:\n  - t\n---\n\n# c\n"
    assert playbook_parse(text=text) == {
        "name": "n", "description": "d", "must_consult": False, "triggers": ["t"], "category": None,
        "learned_from": None, "examples": [], "scripts": {}, "references": {}, "content": "# c\n"}


def test_a_crlf_file_imports():
    parsed = playbook_parse(text="---\r\nname: n\r\ndescription: d\r\n---\r\n\r\n# Body\r\n")
    assert parsed["name"] == "n" and parsed["content"] == "# Body\r\n"


# --- export ------------------------------------------------------------------------------------------

def test_export_is_not_a_consultation(tenant_a):
    playbook = tenant_a.make("playbooks.email_guide")
    _export(tenant_a.api(), playbook.pk)
    assert _get(tenant_a, pk=playbook.pk).use_count == 0
    with tenant_a.schema():
        assert not Log.objects.filter(action="playbook.consulted").exists()


def test_export_names_the_file_after_the_playbook(tenant_a):
    playbook = tenant_a.make("playbooks.playbook", name="Rules & Terms: 2026")
    odd = tenant_a.make("playbooks.playbook", name="???")
    assert _export(tenant_a.api(), playbook.pk)["filename"] == "rules-terms-2026.md"
    assert _export(tenant_a.api(), odd.pk)["filename"] == "playbook.md"


# --- import: create or update by name ---------------------------------------------------------------

def test_import_creates_then_updates_the_playbook_of_that_name(tenant_a):
    api = tenant_a.owner_api()  # importing puts a playbook in force: the owner's decision
    created = _import(api, SEED_FILE)
    assert created["created"] is True
    playbook_id = created["playbook"]["id"]

    same = _import(api, SEED_FILE, expected_status=200)
    assert same["created"] is False and same["playbook"]["id"] == playbook_id

    edited = SEED_FILE.replace("must_consult: true", "must_consult: false").replace("## Examples", "## Samples")
    updated = _import(api, edited, expected_status=200)
    assert updated["playbook"]["must_consult"] is False and "## Samples" in updated["playbook"]["content"]

    with tenant_a.schema():
        assert Playbook.objects.filter(name="email-drafting-guide").count() == 1
        logs = list(Log.objects.filter(action="playbook.imported", entity_id=playbook_id).order_by("timestamp"))
    assert [(log.details["created"], log.details["fields"]) for log in logs] == [
        (True, sorted(FILE_FIELDS)), (False, []), (False, ["content", "must_consult"])]
    assert logs[0].actor == "user" and logs[0].entity_type == "playbook"  # the owner's key imported it


def test_import_update_keeps_status_usage_and_source_task(tenant_a):
    task = tenant_a.make("tasks.task", title="Where it was learned")
    proposal = tenant_a.make("playbooks.playbook", name="email-drafting-guide", status="proposed", use_count=4,
                             source_task=task)
    result = _import(tenant_a.owner_api(), SEED_FILE, expected_status=200)
    assert result["playbook"]["id"] == str(proposal.pk)
    stored = _get(tenant_a, pk=proposal.pk)
    assert stored.status == "proposed" and stored.use_count == 4 and stored.source_task_id == task.pk
    assert stored.must_consult is True  # the file's values, the workspace's status


def test_import_leaves_archived_and_rejected_namesakes_alone(tenant_a):
    archived = tenant_a.make("playbooks.playbook", name="email-drafting-guide", status="archived")
    tenant_a.make("playbooks.playbook", name="email-drafting-guide", status="rejected", rejected_reason="Too long.")
    result = _import(tenant_a.owner_api(), SEED_FILE)
    assert result["created"] is True and result["playbook"]["id"] != str(archived.pk)
    assert _get(tenant_a, pk=archived.pk).content == "# Playbook\n\nSteps."


def test_import_with_several_live_namesakes_is_409_listing_them(tenant_a):
    ids = {str(tenant_a.make("playbooks.playbook", name="email-drafting-guide", status=status).pk)
           for status in ("active", "proposed")}
    response = tenant_a.owner_api().post("/api/playbooks/import", {"content": SEED_FILE}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "ambiguous_name" and error["message"].startswith("name: 2 active or proposed playbooks")
    assert set(error["details"]["playbook_ids"]) == ids


def test_import_is_matched_at_once(tenant_a):
    api = tenant_a.owner_api()  # importing puts a playbook in force: the owner's decision
    playbook_id = _import(api, SEED_FILE)["playbook"]["id"]
    body = api.get("/api/playbooks/match", {"task_description": "Reply to Patrick"}).json()
    assert [m["playbook"]["id"] for m in body["must_consult"]] == [playbook_id]


# --- import: invalid files are a 400 naming the key ---------------------------------------------------

def _file(front: str, body: str = "# Body\n") -> str:
    return f"---\n{front}---\n\n{body}"


INVALID = [
    ("# Just markdown\n", "content", "starts with YAML front matter"),
    ("---\nname: n\ndescription: d\n# never closed\n", "content", "not closed"),
    (_file("name: n\ndescription: d\n", body="  \n"), "content", "empty"),
    (_file("name: [unclosed\ndescription: d\n"), "front_matter", "not valid YAML at line"),
    (_file("- a list\n- not keys\n"), "front_matter", "keys and values"),
    (_file(""), "front_matter", "keys and values"),
    (_file("name: n\ndescription: d\nstatus: active\n"), "status", "not a playbook key"),
    (_file("name: n\ndescription: d\ntrigger:\n  - typo\n"), "trigger", "not a playbook key"),
    (_file("description: d\n"), "name", "required"),
    (_file("name: n\n"), "description", "required"),
    (_file("name: ''\ndescription: d\n"), "name", "must not be empty"),
    (_file("name: 2026\ndescription: d\n"), "name", "must be text"),
    (_file(f"name: {'x' * 256}\ndescription: d\n"), "name", "at most 255"),
    (_file(f"name: n\ndescription: d\ncategory: {'x' * 101}\n"), "category", "at most 100"),
    (_file("name: n\ndescription: d\nlearned_from: 2026-01-15\n"), "learned_from", "quote it"),
    (_file("name: n\ndescription: d\nmust_consult: maybe\n"), "must_consult", "true or false"),
    (_file("name: n\ndescription: d\ntriggers: draft email\n"), "triggers", "list of phrases"),
    (_file("name: n\ndescription: d\ntriggers:\n  - ok\n  - 12\n"), "triggers", "list of phrases"),
    (_file("name: n\ndescription: d\nexamples: one\n"), "examples", "must be a list"),
    (_file("name: n\ndescription: d\nexamples:\n  - when: 2026-01-15\n"), "examples", "quote dates"),
    (_file("name: n\ndescription: d\nexamples:\n  - .nan\n"), "examples", "plain values"),
    (_file("name: n\ndescription: d\nscripts:\n  - a.py\n"), "scripts", "file names"),
    (_file("name: n\ndescription: d\nreferences:\n  notes.md: 3\n"), "references", "file names"),
    (_file("name: &n n\ndescription: *n\n"), "front_matter", "anchors and aliases"),
    (_file("name: n\ndescription: d\nexamples: !!python/object/apply:os.system ['true']\n"),
     "front_matter", "not valid YAML"),
]


@pytest.mark.parametrize(("text", "key", "hint"), INVALID, ids=[f"{i}-{k}" for i, (_, k, _) in enumerate(INVALID)])
def test_invalid_files_are_400_naming_the_key_and_create_nothing(tenant_a, text, key, hint):
    response = tenant_a.owner_api().post("/api/playbooks/import", {"content": text}, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(f"{key}: "), error
    assert hint in error["message"], error
    assert set(error["details"]) == {key}
    with tenant_a.schema():
        assert not Playbook.objects.exists() and not Log.objects.filter(action="playbook.imported").exists()


def test_the_yaml_line_number_counts_the_file():
    with pytest.raises(InvalidInput) as raised:
        playbook_parse(text=_file("name: n\ndescription: d\ntriggers: a: b\n"))
    assert "at line 4" in raised.value.message  # ---, name, description, triggers


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": None}, {"content": 3}])
def test_import_without_content_is_400(tenant_a, body):
    response = tenant_a.owner_api().post("/api/playbooks/import", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("content:")
