"""Who did it, for the audit Log: requests with an API key are Claude's, browser sessions the owner's."""

from .models import Actor


def request_actor(request) -> str:
    return Actor.CLAUDE if getattr(request, "auth", None) is not None and getattr(request._request, "api_key", None) \
        else Actor.USER


def request_session_id(request) -> str | None:
    """Claude groups the actions of one loop iteration with the X-Session-Id header."""
    value = request.headers.get("X-Session-Id", "").strip()
    return value[:100] or None


def request_attribution(request) -> dict:
    """The keyword arguments every service takes for who acts: the workspace owner, the actor (Claude
    or the owner) and Claude's session id."""
    return {"user": request.user, "actor": request_actor(request), "session_id": request_session_id(request)}
