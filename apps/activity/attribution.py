"""Who acts: every service takes an `Attribution` (Zulip's `acting_user`), never a default.

`user` is the workspace's owner on whose data the change happens; `actor` is who did it (Claude
through an agent key, the owner through a browser session or an owner key, the system for
scheduled work);
`session_id` groups one loop iteration of Claude's (the X-Session-Id header)."""

from dataclasses import dataclass

from apps.core.errors import OwnerDecision

from .models import Actor


@dataclass(frozen=True)
class Attribution:
    user: object  # apps.accounts.models.User (accounts sits above activity)
    actor: Actor
    session_id: str | None = None

    @classmethod
    def claude(cls, user, session_id: str | None = None) -> "Attribution":
        return cls(user=user, actor=Actor.CLAUDE, session_id=session_id)

    @classmethod
    def owner(cls, user, session_id: str | None = None) -> "Attribution":
        return cls(user=user, actor=Actor.USER, session_id=session_id)

    @classmethod
    def system(cls, user) -> "Attribution":
        return cls(user=user, actor=Actor.SYSTEM)

    def owner_decides(self, decision: str, *, page: str) -> None:
        """Refuse (403 owner_decision) unless the owner himself acts: an agent proposes, the owner
        decides. `decision` says what was asked ("approve this draft"), `page` where he decides it."""
        if self.actor != Actor.USER:
            raise OwnerDecision(f"Only the owner can {decision}: he decides on his page {page}. An agent key may "
                                "propose, draft or ask (a question, a proposed playbook), not decide for him.",
                                details={"decision": decision, "page": page})


def request_actor(request) -> str:
    """The owner for a browser session and for an owner key (his own scripts); Claude for an agent key."""
    api_key = getattr(getattr(request, "_request", request), "api_key", None)
    if getattr(request, "auth", None) is None or api_key is None:
        return Actor.USER
    return Actor.USER if api_key.acts_as_owner else Actor.CLAUDE


def request_session_id(request) -> str | None:
    """Claude groups the actions of one loop iteration with the X-Session-Id header."""
    value = request.headers.get("X-Session-Id", "").strip()
    return value[:100] or None


def request_attribution(request) -> Attribution:
    """Who acts in this request, built once: the workspace owner, the actor (Claude with an agent key,
    the owner in a browser session or with an owner key) and Claude's session id."""
    raw = getattr(request, "_request", request)
    cached = getattr(raw, "_attribution", None)
    if cached is None:
        cached = Attribution(user=request.user, actor=request_actor(request), session_id=request_session_id(request))
        raw._attribution = cached
    return cached

