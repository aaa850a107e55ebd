"""Trigger phrases: words of the owner that mean "learn this" (seed principle 1, "Trigger Phrases").

Detection (`triggers_detect`): a phrase counts when it appears as a whole phrase, in any case,
anywhere in a longer text: "ALWAYS cc Mary" and "…and going forward we bill monthly" match;
"always-on", "nevertheless" and "remembered that" do not (a letter, digit, underscore or hyphen on
either side is part of another word). Words of a phrase may be separated by any whitespace, and a
typographic apostrophe matches a straight one ("here’s how we do this").

Each sentence holding a phrase becomes one Knowledge entry (source_type trigger_phrase, status
captured, content = that sentence), so what the owner said cannot be lost; see
apps.knowledge.services.knowledge_triggers_capture. A task cannot be completed while one of its
entries is still only captured: see the completion rule in `trigger_entries_check`.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from apps.core.error_codes import ErrorCode
from apps.core.errors import InvalidInput

from . import selectors
from .models import KnowledgeCategory
from .routing import setting_parse
from .targets import NAMED_CATEGORIES, target_resolve

SEED_TRIGGER_PHRASES = (
    "remember that", "for future reference", "here's how we do this", "going forward", "always", "never",
    "FYI for next time",
)
USER_TRIGGERS_SETTING = "knowledge_triggers"  # the owner's own phrases, in User.settings
PHRASE_MAX_LENGTH = 100

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
_HOW_TO = re.compile(r"(?<![\w-])(?:how to|how we|steps?|procedure|process|checklist)(?![\w-])", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


@dataclass(frozen=True)
class TriggerHit:
    phrase: str  # as listed (e.g. "FYI for next time")
    sentence: str  # the sentence that holds it, stripped


@lru_cache(maxsize=512)
def phrase_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(word.replace("’", "'")).replace("'", "['’]") for word in phrase.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def phrase_clean(phrase: str) -> str:
    """A phrase as stored: single spaces, trimmed; 400 naming `phrase` when it cannot be one."""
    cleaned = " ".join((phrase or "").split())
    if not re.search(r"\w", cleaned):
        raise InvalidInput("phrase: give a word or a few words, e.g. 'note to self'.",
                           details={"phrase": ["Must contain a word."]})
    if len(cleaned) > PHRASE_MAX_LENGTH:
        raise InvalidInput(f"phrase: at most {PHRASE_MAX_LENGTH} characters.",
                           details={"phrase": [f"At most {PHRASE_MAX_LENGTH} characters."]})
    return cleaned


def trigger_phrases_for(*, user) -> dict:
    """{phrases, builtin, custom}: the seed's phrases plus the owner's own (User.settings)."""
    custom = [p for p in (user.settings or {}).get(USER_TRIGGERS_SETTING, []) if isinstance(p, str) and p.strip()]
    builtin = list(SEED_TRIGGER_PHRASES)
    seen, phrases = set(), []
    for phrase in [*builtin, *custom]:
        if phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            phrases.append(phrase)
    return {"phrases": phrases, "builtin": builtin, "custom": custom}


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def triggers_detect(*, text: str, phrases) -> list[TriggerHit]:
    """One hit per sentence that holds a phrase: the earliest phrase in it (the longest on a tie,
    so "never" inside a custom "never send on Fridays" reports the custom phrase)."""
    if not text:
        return []
    hits = []
    for start, end in _sentences(text):
        sentence = text[start:end]
        best = None
        for phrase in phrases:
            match = phrase_pattern(phrase).search(sentence)
            if match and (best is None or (match.start(), -len(match.group())) < (best[0], -best[1])):
                best = (match.start(), len(match.group()), phrase)
        if best:
            hits.append(TriggerHit(phrase=best[2], sentence=" ".join(sentence.split())))
    return hits


def category_guess(*, user, text: str, phrase: str) -> str:
    """A starting category for an auto-captured entry (it is not routed until someone decides):
    a stated value or URL → setting; a procedure → playbook; exactly one person, client or project
    named → that; otherwise a rule ("Always…", "Never…" are rules more often than not)."""
    if setting_parse(text) or _URL.search(text):
        return KnowledgeCategory.SETTING
    if phrase.casefold() == "here's how we do this" or _HOW_TO.search(text):
        return KnowledgeCategory.PLAYBOOK
    named = [c for c in sorted(NAMED_CATEGORIES) if target_resolve(user=user, category=c, content=text).target]
    if len(named) == 1:
        return named[0]
    return KnowledgeCategory.RULE


def trigger_entries_check(*, task, inline: list[dict] | None = None) -> None:
    """The completion rule for trigger phrases (seed principle 1: "Watch for trigger phrases — … = must capture").

    A task may not be completed while ANY trigger-phrase Knowledge entry of it — detected in its
    description or in an answer to a question it waited on — is still in status `captured`. Each
    is settled on its own: routed (POST /api/knowledge/{id}/route, which stores the learning where
    it belongs), or dismissed with a reason (POST /api/knowledge/{id}/dismiss), or routed by the
    completion itself with an inline item naming it (`knowledge: [{knowledge_id, category?}]`;
    `inline` are those items). Capturing some other learning, inline knowledge without its
    knowledge_id, or `learnings_captured: true` do not settle it: the check is on that entry.
    Answers 400 naming the phrase and the entry id, and the ways out.
    """
    settling = {str(item["knowledge_id"]) for item in inline or [] if item.get("knowledge_id")}
    open_entries = [e for e in selectors.knowledge_open_triggers_for_task(task=task) if str(e.pk) not in settling]
    if not open_entries:
        return
    first = open_entries[0]
    others = f" (and {len(open_entries) - 1} more)" if len(open_entries) > 1 else ""
    raise InvalidInput(
        f"Before completing: the owner said \"{first.trigger_phrase}\" — \"{first.content}\"{others} — and that "
        f"learning, knowledge {first.pk}, is only captured, not stored where it belongs. Route it (POST "
        f"/api/knowledge/{first.pk}/route, with target_type/target_id or by its category), or route it in this "
        f"completion (knowledge: [{{knowledge_id: \"{first.pk}\", category}}]), or dismiss it with a reason "
        f"(POST /api/knowledge/{first.pk}/dismiss). Capturing another learning does not settle it.",
        code=ErrorCode.TRIGGER_PHRASE_NOT_CAPTURED,
        details={"trigger_phrases": sorted({e.trigger_phrase for e in open_entries}),
                 "knowledge": [{"id": str(e.pk), "trigger_phrase": e.trigger_phrase, "content": e.content}
                               for e in open_entries]},
    )
