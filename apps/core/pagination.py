from django.db.models import Count, Window
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class LimitOffset(LimitOffsetPagination):
    """`?limit=&offset=` on every list, as the seed's endpoints take them.

    Strict where DRF is lenient: DRF silently replaces a limit that is not a positive whole number
    with the default and an offset that is not a non-negative one with 0, so a caller with a typo
    would page through the wrong rows without knowing. Here either is a 400 naming the parameter.
    A limit above max_limit is still capped to it (documented, and the `next` link says so).
    """

    default_limit = 50
    max_limit = 500

    @staticmethod
    def _whole_number(request, name: str, *, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise ValidationError({name: [f"Must be a whole number of at least {minimum}, got '{raw}'."]})
        return value

    def get_limit(self, request):
        limit = self._whole_number(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, minimum=0) or 0


LIST_LIMIT = 50


def limited(queryset, limit: int = LIST_LIMIT) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all, in one query: a window count is
    computed before LIMIT applies. (Not for DISTINCT querysets: the window would count duplicates.)"""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return rows, (rows[0].total_rows if rows else 0)
