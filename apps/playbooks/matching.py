"""Which playbooks apply to a piece of work (the seed's "Playbook Matching Algorithm").

1. Trigger phrases: case-insensitive, whole phrase ("email to" matches "Draft an email to Maria",
   not "emails tomorrow"). Relevance 1.0.
2. Otherwise full-text similarity: the share of the task's distinct stemmed terms (PostgreSQL's
   English configuration) that the playbook's name, triggers and description contain. Above 0.5 it
   is a match, and the shared terms are the reason.
3. Must-consult playbooks are always reported when their triggers, their category or their text
   match the task, each with the warning Claude must heed.
Only active playbooks take part.
"""

import re
from dataclasses import dataclass, field

from django.db import connection

from .models import Playbook, PlaybookStatus

SIMILARITY_THRESHOLD = 0.5

# Words (stemmed by PostgreSQL's english config) that put a task in a playbook category.
CATEGORY_TERMS = {
    "communication": {"email", "mail", "slack", "messag", "repli", "respond", "letter", "draft", "write", "follow",
                      "announc", "note", "memo"},
    "scheduling": {"schedul", "meet", "calendar", "invit", "book", "resched", "appoint", "call"},
    "sales": {"propos", "deal", "price", "quot", "pipelin", "opportun", "discount", "contract", "renew"},
    "technical": {"deploy", "code", "bug", "api", "integr", "server", "databas"},
}


@dataclass(frozen=True)
class PlaybookMatchResult:
    playbook: Playbook
    match_reason: str
    relevance_score: float


@dataclass(frozen=True)
class MustConsult:
    playbook: Playbook
    warning: str


@dataclass
class PlaybookMatch:
    matched: list[PlaybookMatchResult] = field(default_factory=list)
    must_consult: list[MustConsult] = field(default_factory=list)


def trigger_in_text(trigger: str, text: str) -> bool:
    """Whole-phrase, case-insensitive, whitespace-tolerant."""
    words = [re.escape(word) for word in trigger.lower().split()]
    if not words:
        return False
    return re.search(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", text.lower()) is not None


def _similarities(*, user, text: str) -> dict:
    """{playbook_id: (score, shared terms)} for the user's active playbooks, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH task_terms AS (
                SELECT array_agg(DISTINCT lexeme) AS terms FROM unnest(to_tsvector('english', %s))
            )
            SELECT p.id,
                   ARRAY(SELECT unnest(tsvector_to_array(p.search_vector)) INTERSECT SELECT unnest(t.terms)),
                   coalesce(array_length(t.terms, 1), 0)
            FROM playbooks_playbook p, task_terms t
            WHERE p.user_id = %s AND p.status = 'active'
            """,
            [text, user.pk],
        )
        return {pid: (len(shared) / total if total else 0.0, sorted(shared)) for pid, shared, total in cursor.fetchall()}


def _category_terms_in(text: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(array_agg(lexeme), '{}') FROM unnest(to_tsvector('english', %s))", [text])
        return set(cursor.fetchone()[0])


def _warning(playbook: Playbook) -> str:
    scope = playbook.category or "this kind of"
    return f"MUST consult '{playbook.name}' before any {scope} work: GET /api/playbooks/{playbook.id}?task_id=<task id>"


def playbooks_match(*, user, text: str) -> PlaybookMatch:
    """Match the user's active playbooks against `text` (a task's title and description)."""
    playbooks = list(Playbook.objects.filter(user=user, status=PlaybookStatus.ACTIVE).defer("search_vector"))
    if not playbooks or not text.strip():
        return PlaybookMatch()
    similarities = _similarities(user=user, text=text)
    task_terms = _category_terms_in(text) if any(p.must_consult for p in playbooks) else set()
    result = PlaybookMatch()
    for playbook in playbooks:
        trigger = next((t for t in playbook.triggers if trigger_in_text(t, text)), None)
        score, shared = similarities.get(playbook.id, (0.0, []))
        if trigger is not None:
            result.matched.append(PlaybookMatchResult(playbook, f"trigger: '{trigger}'", 1.0))
        elif score > SIMILARITY_THRESHOLD:
            reason = "description similarity: " + ", ".join(f"'{term}'" for term in shared)
            result.matched.append(PlaybookMatchResult(playbook, reason, round(score, 3)))
        if playbook.must_consult:
            category_hit = playbook.category and (
                playbook.category.lower() in task_terms or task_terms & CATEGORY_TERMS.get(playbook.category, set())
            )
            if trigger is not None or category_hit or score > SIMILARITY_THRESHOLD:
                result.must_consult.append(MustConsult(playbook, _warning(playbook)))
    result.matched.sort(key=lambda m: (-m.relevance_score, m.playbook.name))
    return result
