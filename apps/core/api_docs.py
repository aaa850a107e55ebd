"""OpenAPI helpers: every endpoint documents its error answers with the one error envelope."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(help_text="machine-readable, e.g. invalid_transition"),
                "message": serializers.CharField(help_text="what went wrong and what to do"),
                "details": serializers.DictField(help_text="field errors or the entity's current state"),
            },
        )
    },
)

_MEANING = {
    400: "Invalid input: the message names the field and the fix.",
    401: "Missing, unknown or revoked API key.",
    403: "Not allowed; code owner_decision: a decision only the owner makes (an agent key proposes instead).",
    404: "No such id in this workspace (ids of other workspaces answer 404 too).",
    409: "The entity's current state does not allow this; the message says the state and what to do.",
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer, description=_MEANING[code]) for code in codes}
