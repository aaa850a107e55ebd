"""Resolving the entity a learning names: exactly one, or candidates (never a guess)."""

from apps.knowledge.targets import target_resolve, text_fold

from .makers import make_client, make_person, make_project


def resolve(owner, category, content):
    return target_resolve(user=owner, category=category, content=content)


def test_text_fold_drops_case_accents_and_curly_apostrophes():
    assert text_fold("  JOSÉ  Núñez’s\tCafé ") == "jose nunez's cafe"


def test_full_name_first_name_and_email_each_resolve_one_person(owner):
    patrick = make_person(owner, "Patrick Fields", email="pf@liberty.example")
    make_person(owner, "Maria Lopez")
    for content in ("Patrick Fields prefers brief emails", "patrick prefers brief emails",
                    "Mail PF@liberty.example only in the morning"):
        assert resolve(owner, "person", content).target == patrick, content


def test_accents_and_case_are_ignored_both_ways(owner):
    jose = make_person(owner, "José Núñez")
    zoe = make_person(owner, "zoe martin")
    assert resolve(owner, "person", "jose nunez hates phone calls").target == jose
    assert resolve(owner, "person", "JOSE likes Slack").target == jose
    assert resolve(owner, "person", "Zoé prefers French").target == zoe


def test_two_sarahs_named_by_first_name_are_candidates_not_a_guess(owner):
    jones, smith = make_person(owner, "Sarah Jones"), make_person(owner, "Sarah Smith")
    result = resolve(owner, "person", "Sarah prefers calls before 10am")
    assert result.target is None
    assert {c["id"] for c in result.candidates} == {str(jones.pk), str(smith.pk)}
    assert {c["matched"] for c in result.candidates} == {"sarah"}
    assert "2 persons" in result.reason
    # the full name settles it
    assert resolve(owner, "person", "Sarah Smith prefers calls").target == smith


def test_two_different_people_named_is_ambiguous(owner):
    make_person(owner, "Patrick Fields")
    make_person(owner, "Maria Lopez")
    result = resolve(owner, "person", "Patrick Fields should always cc Maria")
    assert result.target is None and len(result.candidates) == 2


def test_no_name_means_no_candidates(owner):
    make_person(owner, "Patrick Fields")
    result = resolve(owner, "person", "The new guy prefers texts")
    assert result.target is None and result.candidates == []
    assert "No person" in result.reason


def test_names_match_whole_words_only(owner):
    make_person(owner, "Ann Lee")
    make_client(owner, "Acme")
    assert resolve(owner, "person", "Annual reviews happen in May").target is None
    assert resolve(owner, "client", "Acmeville is a town").target is None


def test_a_name_inside_a_longer_matched_name_does_not_count(owner):
    make_client(owner, "Liberty")
    mutual = make_client(owner, "Liberty Mutual")
    assert resolve(owner, "client", "Liberty Mutual uses Outlook, not Gmail").target == mutual


def test_clients_and_projects_resolve_by_name(owner):
    liberty = make_client(owner, "Liberty Hotel")
    cnw = make_project(owner, "CNW Rollout")
    assert resolve(owner, "client", "liberty hotel uses Outlook").target == liberty
    assert resolve(owner, "project", "CNW rollout budget approved for Phase 2").target == cnw


def test_other_users_and_tenants_entities_are_never_candidates(owner, tenant_b):
    with tenant_b.schema():
        make_person(tenant_b.owner, "Patrick Fields")
    result = resolve(owner, "person", "Patrick prefers calls")
    assert result.target is None and result.candidates == []
