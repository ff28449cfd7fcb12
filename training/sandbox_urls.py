"""A trainee's sandbox (/opleiding/zandbak/): personas, the sandbox's clock, the scenario and its reset."""

from django.urls import path

from training import sandbox_views

SANDBOX = "opleiding/zandbak/"

urlpatterns = [
    path(f"{SANDBOX}personen/", sandbox_views.personas, name="trainee-personas"),
    path(
        f"{SANDBOX}personen/<int:person_id>/wisselen/",
        sandbox_views.persona_switch,
        name="trainee-persona-switch",
    ),
    path(f"{SANDBOX}klok/", sandbox_views.sandbox_clock, name="trainee-clock"),
    path(f"{SANDBOX}scenario/", sandbox_views.scenario, name="trainee-scenario"),
    path(f"{SANDBOX}scenario/opnieuw-beginnen/", sandbox_views.reset, name="trainee-reset"),
]
