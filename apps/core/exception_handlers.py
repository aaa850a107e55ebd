"""The one error envelope of the API: {"error": {"code", "message", "details"}}.

Services raise apps.core.errors types (they know nothing of HTTP); the API maps them here, and so
does Django's ValidationError (model_update's full_clean) and DRF's own validation, authentication
and not-found errors. Anything unexpected becomes a 500 in the same envelope, with the transaction
rolled back.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .error_codes import ErrorCode
from .errors import ServiceError

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": str(code), "message": message, "details": details if details is not None else {}}}


def json_error(status_code: int, code: str, message: str, details=None, headers=None) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status_code, headers=headers)


def _first_problem(detail) -> str:
    """First problem, named by its field, so the caller knows what to fix."""
    if isinstance(detail, dict):
        for field, problems in detail.items():
            inner = _first_problem(problems)
            return inner if field == "non_field_errors" else f"{field}: {inner}"
    if isinstance(detail, list) and detail:
        return _first_problem(detail[0])
    return str(detail)


def api_exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        set_rollback()
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__, exc_info=exc)
        return Response(error_body(ErrorCode.SERVER_ERROR, "Something went wrong on our side; nothing was saved."), status=500)
    if isinstance(exc, exceptions.ValidationError):
        code, message, details = ErrorCode.VALIDATION_ERROR, _first_problem(exc.detail), response.data
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else getattr(exc, "default_code", "error")
        if isinstance(exc.detail, dict | list):
            message, details = _first_problem(exc.detail), exc.detail
        else:
            message, details = str(exc.detail), {}
        if isinstance(exc, exceptions.NotAuthenticated):
            message = "Send your API key in the X-API-Key header (or Authorization: Bearer <key>)."
        elif isinstance(exc, exceptions.NotFound):
            message = "Not found: no such id in this workspace."
    response.data = error_body(code, message, details)
    return response


def handler404(request, exception=None):
    from django.views.defaults import page_not_found

    if request.path_info.startswith("/api/"):
        return json_error(404, ErrorCode.NOT_FOUND, f"No API endpoint at {request.path_info}. See /api/docs/.")
    return page_not_found(request, exception)


def handler500(request):
    from django.views.defaults import server_error

    if request.path_info.startswith("/api/"):
        return json_error(500, ErrorCode.SERVER_ERROR, "Something went wrong on our side; nothing was saved.")
    return server_error(request)


def handler403(request, exception=None):
    from django.views.defaults import permission_denied

    if request.path_info.startswith("/api/"):
        return json_error(403, ErrorCode.PERMISSION_DENIED, str(exception) or "Not allowed.")
    return permission_denied(request, exception or PermissionDenied())
