"""A trainee's sandbox (/opleiding/zandbak/): personas, the sandbox's clock, the scenario and its reset."""

from django.urls import path

from training import sandbox_views

app_name = "sandbox"

SANDBOX = "opleiding/zandbak/"

urlpatterns = [
    path(f"{SANDBOX}personen/", sandbox_views.personas, name="personas"),
    path(f"{SANDBOX}personen/<int:person_id>/wisselen/", sandbox_views.persona_switch, name="persona-switch"),
    path(f"{SANDBOX}klok/", sandbox_views.sandbox_clock, name="clock"),
    path(f"{SANDBOX}scenario/", sandbox_views.scenario, name="scenario"),
    path(f"{SANDBOX}scenario/opnieuw-beginnen/", sandbox_views.reset, name="reset"),
]
