"""Addresses the portal sends mail to: one valid address, no markup, no quoted local part and no
second recipient. The form field refuses them next to the field; services check them again."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_LENGTH = 254
UNSAFE_CHARACTERS = re.compile(r"[<>\"'`,;\\\s]")


def is_plain_mail_address(value: str) -> bool:
    if not value or len(value) > MAX_LENGTH or UNSAFE_CHARACTERS.search(value):
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class PlainEmailField(forms.EmailField):
    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_LENGTH, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value and UNSAFE_CHARACTERS.search(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value
