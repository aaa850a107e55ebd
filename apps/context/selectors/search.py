"""Full-text search over the workspace (seed: GET /api/context/search).

Each searchable model keeps a stored generated `search_vector` column (English configuration,
weights A for the name or title, B and C for the body) with a GIN index. The query is PostgreSQL's
web-search syntax (`websearch_to_tsquery`: quoted phrases, `or`, `-word`), matched with `@@`
against that column so the GIN index serves it, and ranked with `ts_rank` over the same column:
a match in a title outranks a match in a body. One query per entity type returns its best rows,
its total number of matches (a window count) and a `ts_headline` snippet of the body text.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, Func, QuerySet, TextField, Value, Window
from django.db.models.functions import Coalesce, NullIf

from apps.core.filters import websearch
from apps.people.models import Client, Person
from apps.playbooks.models import Playbook
from apps.tasks.models import Project, Task

CONFIG = "english"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class ConcatWS(Func):
    """concat_ws(sep, …): joins the non-null texts (Django's Concat would keep empty separators)."""

    function = "CONCAT_WS"
    output_field = TextField()


def _text(*fields: str) -> Func:
    return ConcatWS(Value(" · "), *(F(name) for name in fields)) if len(fields) > 1 else F(fields[0])


@dataclass(frozen=True)
class SearchSource:
    model: type
    title: str  # the field shown as the result's title
    body: tuple[str, ...]  # the fields the snippet is cut from (the title when they are all empty)
    status: str | None = None


# The order of this mapping breaks rank ties between types.
SOURCES: dict[str, SearchSource] = {
    "task": SearchSource(Task, "title", ("description",), "status"),
    "person": SearchSource(Person, "name", ("title", "company", "relationship_to_user", "context_notes")),
    "playbook": SearchSource(Playbook, "name", ("description",), "status"),
    "project": SearchSource(Project, "name", ("description", "success_criteria"), "status"),
    "client": SearchSource(Client, "name", ("notes",), "status"),
}
ENTITY_TYPES = tuple(SOURCES)


@dataclass(frozen=True)
class SearchHit:
    entity_type: str
    id: object
    title: str
    snippet: str
    rank: float
    status: str | None


@dataclass(frozen=True)
class SearchResults:
    query: str
    results: list[SearchHit]
    counts: dict[str, int]  # matches per requested type (all of them, not only those returned)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def search_queryset(*, user, entity_type: str, query: SearchQuery, limit: int) -> QuerySet:
    """The best `limit` rows of one type: `search_vector @@ query` (the GIN index), ordered by
    ts_rank over the stored vector. ts_headline is costly, so PostgreSQL evaluates it only for the
    rows that survive the LIMIT."""
    source = SOURCES[entity_type]
    values = {"title_text": F(source.title)}
    if source.status:
        values["status_text"] = F(source.status)
    return (
        source.model.objects.filter(user=user, search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            matches=Window(Count("pk")),
            snippet=SearchHeadline(
                Coalesce(NullIf(_text(*source.body), Value("")), F(source.title), output_field=TextField()),
                query, config=CONFIG, start_sel="**", stop_sel="**", max_words=30, min_words=12, short_word=3,
                max_fragments=2, fragment_delimiter=" … ",
            ),
            **values,
        )
        .order_by("-rank", "pk")
        .values("pk", "rank", "matches", "snippet", *values)[:limit]
    )


def context_search(*, user, q: str, entity_types: list[str] | None = None, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Ranked full-text search over the user's tasks, people, playbooks, projects and clients (or
    the `entity_types` asked for), best first across types: one query per type."""
    types = [t for t in ENTITY_TYPES if not entity_types or t in entity_types]
    query = websearch(q)
    hits, counts = [], {}
    for entity_type in types:
        rows = list(search_queryset(user=user, entity_type=entity_type, query=query, limit=limit))
        counts[entity_type] = rows[0]["matches"] if rows else 0
        hits += [SearchHit(entity_type=entity_type, id=row["pk"], title=row["title_text"], snippet=row["snippet"],
                           rank=round(row["rank"], 6), status=row.get("status_text")) for row in rows]
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    hits.sort(key=lambda hit: (-hit.rank, order[hit.entity_type], hit.title))
    return SearchResults(query=q, results=hits[:limit], counts=counts)
