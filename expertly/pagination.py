from rest_framework.pagination import LimitOffsetPagination


class LimitOffset(LimitOffsetPagination):
    """`?limit=&offset=` on every list, as the seed's endpoints take them."""

    default_limit = 50
    max_limit = 500
