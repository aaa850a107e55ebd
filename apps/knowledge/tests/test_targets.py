"""Resolving the entity a learning names: exactly one, or candidates (never a guess)."""

from apps.knowledge.targets import target_resolve, text_fold


def resolve(owner, category, content):
    return target_resolve(user=owner, category=category, content=content)


def test_text_fold_drops_case_accents_and_curly_apostrophes():
    assert text_fold("  JOSÉ  Núñez’s\tCafé ") == "jose nunez's cafe"


def test_full_name_first_name_and_email_each_resolve_one_person(tenant_a, owner):
    patrick = tenant_a.make("people.person", name="Patrick Fields", email="pf@liberty.example")
    tenant_a.make("people.person", name="Maria Lopez")
    for content in ("Patrick Fields prefers brief emails", "patrick prefers brief emails",
                    "Mail PF@liberty.example only in the morning"):
        assert resolve(owner, "person", content).target == patrick, content


def test_accents_and_case_are_ignored_both_ways(tenant_a, owner):
    jose = tenant_a.make("people.person", name="José Núñez")
    zoe = tenant_a.make("people.person", name="zoe martin")
    assert resolve(owner, "person", "jose nunez hates phone calls").target == jose
    assert resolve(owner, "person", "JOSE likes Slack").target == jose
    assert resolve(owner, "person", "Zoé prefers French").target == zoe


def test_two_sarahs_named_by_first_name_are_candidates_not_a_guess(tenant_a, owner):
    jones, smith = tenant_a.make("people.person", name="Sarah Jones"), tenant_a.make("people.person", name="Sarah Smith")
    result = resolve(owner, "person", "Sarah prefers calls before 10am")
    assert result.target is None
    assert {c["id"] for c in result.candidates} == {str(jones.pk), str(smith.pk)}
    assert {c["matched"] for c in result.candidates} == {"sarah"}
    assert "2 persons" in result.reason
    # the full name settles it
    assert resolve(owner, "person", "Sarah Smith prefers calls").target == smith


def test_two_different_people_named_is_ambiguous(tenant_a, owner):
    tenant_a.make("people.person", name="Patrick Fields")
    tenant_a.make("people.person", name="Maria Lopez")
    result = resolve(owner, "person", "Patrick Fields should always cc Maria")
    assert result.target is None and len(result.candidates) == 2


def test_no_name_means_no_candidates(tenant_a, owner):
    tenant_a.make("people.person", name="Patrick Fields")
    result = resolve(owner, "person", "The new guy prefers texts")
    assert result.target is None and result.candidates == []
    assert "No person" in result.reason


def test_names_match_whole_words_only(tenant_a, owner):
    tenant_a.make("people.person", name="Ann Lee")
    tenant_a.make("people.client", name="Acme")
    assert resolve(owner, "person", "Annual reviews happen in May").target is None
    assert resolve(owner, "client", "Acmeville is a town").target is None


def test_a_name_inside_a_longer_matched_name_does_not_count(tenant_a, owner):
    tenant_a.make("people.client", name="Liberty")
    mutual = tenant_a.make("people.client", name="Liberty Mutual")
    assert resolve(owner, "client", "Liberty Mutual uses Outlook, not Gmail").target == mutual


def test_clients_and_projects_resolve_by_name(tenant_a, owner):
    liberty = tenant_a.make("people.client", name="Liberty Hotel")
    cnw = tenant_a.make("tasks.project", name="CNW Rollout")
    assert resolve(owner, "client", "liberty hotel uses Outlook").target == liberty
    assert resolve(owner, "project", "CNW rollout budget approved for Phase 2").target == cnw


def test_other_users_and_tenants_entities_are_never_candidates(owner, tenant_b):
    with tenant_b.schema():
        tenant_b.make("people.person", name="Patrick Fields")
    result = resolve(owner, "person", "Patrick prefers calls")
    assert result.target is None and result.candidates == []
