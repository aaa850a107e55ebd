"""The one error envelope of the API: {"error": {"code", "message", "details"}}."""

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


def json_error(status_code: int, code: str, message: str, details=None, headers=None) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status_code, headers=headers)


def _validation_message(detail) -> str:
    """First problem, named by its field, so the caller knows what to fix."""
    if isinstance(detail, dict):
        for field, problems in detail.items():
            inner = _validation_message(problems)
            return inner if field == "non_field_errors" else f"{field}: {inner}"
    if isinstance(detail, list) and detail:
        return _validation_message(detail[0])
    return str(detail)


def api_exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "validation_error", _validation_message(exc.detail), response.data
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc.detail, dict | list):
            message, details = _validation_message(exc.detail), exc.detail
        else:
            message, details = str(exc.detail), {}
        if isinstance(exc, exceptions.NotAuthenticated):
            message = "Send your API key in the X-API-Key header (or Authorization: Bearer <key>)."
    response.data = error_body(code, message, details)
    return response
