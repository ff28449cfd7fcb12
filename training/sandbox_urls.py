"""A trainee's sandbox (/opleiding/zandbak/): personas, the sandbox's clock, the scenario and its reset."""

from django.urls import path  # noqa: F401

app_name = "sandbox"

urlpatterns = []
