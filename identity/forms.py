from django.contrib.admin.forms import AdminAuthenticationForm

from accessportal.identifiers import insz_compact


class InszAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, accepting the INSZ in any notation (85.07.30-033.28 has 15 characters)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].max_length = 20
        self.fields["username"].widget.attrs["maxlength"] = 20

    def clean_username(self):
        return insz_compact(self.cleaned_data["username"])
