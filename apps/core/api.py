"""What every thin API view shares beyond DRF itself."""


def validated(serializer_class, data, **kwargs) -> dict:
    """`data` (a request body or query) checked by `serializer_class`: the validated fields as a dict,
    or a ValidationError naming the first bad field (a 400 through apps.core.exception_handlers)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
