"""One phone rule for every form and service (accessportal.validators)."""

import pytest
from django import forms

from accessportal.services import ServiceError
from accessportal.validators import PhoneFormField, phone_clean
from administrators.forms import HtbRegistrationForm


@pytest.mark.parametrize("phone", ["02 555 00 00", "+32 470 12 34 56", "0032 (0)2/555.00.00", "32470123456"])
def test_the_rule_accepts_real_numbers(phone):
    assert phone_clean(phone) == " ".join(phone.split())


@pytest.mark.parametrize(
    "phone", ["12345678", "0" * 16, "bel me", "02 555 00 00 x12", "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6"]
)
def test_the_rule_refuses_in_dutch(phone):
    with pytest.raises(ServiceError) as refused:
        phone_clean(phone, field="htb_phone")
    assert refused.value.message_dict == {
        "htb_phone": ["Geef een geldig telefoonnummer in, bv. 02 555 00 00 of +32 470 12 34 56."]
    }


def test_every_phone_field_is_the_one_rule():
    fields = [
        HtbRegistrationForm(requester_name="X", allow_self=True).fields["htb_phone"],
        HtbRegistrationForm(requester_name="X", allow_self=True).fields["requester_phone"],
    ]
    assert all(isinstance(field, PhoneFormField) for field in fields)
    for field in fields:
        with pytest.raises(forms.ValidationError, match="geldig telefoonnummer"):
            field.clean("12345678")
