"""What every service shares: its error type."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A refused change, with a Dutch message for the person who asked for it.

    A ValidationError, so that a view can show it next to the field (``field``) or on top."""

    def __init__(self, message, *, code: str = "refused", field: str | None = None):
        if field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)
