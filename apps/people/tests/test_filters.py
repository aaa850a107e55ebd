"""The people filters (apps.people.filters) as the selectors run them."""

from django.db import connection


def test_people_search_can_use_the_gin_index(tenant_a):
    """The filter is `search_vector @@ query` on the stored column, so idx_people_search serves it.
    (Rows inserted inside the test's transaction sit in GIN's pending list, which makes a sequential
    scan of a small table cheaper; sequential scans are switched off to show the index is usable.)"""
    from apps.people.filters import PersonFilter
    from apps.people.selectors import person_queryset

    tenant_a.make("people.person", _quantity=1000, _bulk_create=True)
    tenant_a.make("people.person", name="Zebediah")
    with tenant_a.schema():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_person")
            cursor.execute("SET LOCAL enable_seqscan = off")
        filterset = PersonFilter({"search": "zebediah"}, queryset=person_queryset(user=tenant_a.owner))
        plan = filterset.qs[:50].explain()
        assert [p.name for p in filterset.qs] == ["Zebediah"]
    assert "idx_people_search" in plan, plan
