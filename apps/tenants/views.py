from django.views.decorators.csrf import csrf_exempt

from apps.core.error_codes import ErrorCode
from apps.core.exception_handlers import json_error


@csrf_exempt
def api_key_required(request):
    """Any API path on the public host without a key: the key is what selects the workspace."""
    return json_error(
        401,
        ErrorCode.NOT_AUTHENTICATED,
        "Send your API key in the X-API-Key header (or Authorization: Bearer <key>); it selects your workspace.",
        headers={"WWW-Authenticate": 'Bearer realm="expertly"'},
    )
