"""The trainers' pages (/opleiding/): classrooms, their progress, the trainees' cards, the demo reset."""

from django.urls import path

from training import trainer_views as views

CLASSROOM = "opleiding/klassen/<int:classroom_id>/"
SANDBOX = f"{CLASSROOM}zandbakken/<int:sandbox_id>/"

urlpatterns = [
    path("opleiding/", views.home, name="home"),
    path("opleiding/demowereld/herladen/", views.demo_reset, name="demo-reset"),
    path("opleiding/demowereld/klok/", views.demo_clock, name="demo-clock"),
    path(
        "opleiding/demowereld/personen/<int:person_id>/kaart-deblokkeren/",
        views.demo_card_unblock,
        name="demo-card-unblock",
    ),
    path(CLASSROOM, views.classroom, name="classroom"),
    path(f"{CLASSROOM}kaarten/", views.cards, name="cards"),
    path(f"{SANDBOX}kaart/", views.card, name="card"),
    path(f"{SANDBOX}opnieuw-beginnen/", views.sandbox_reset, name="sandbox-reset"),
    path(f"{SANDBOX}klok/", views.sandbox_clock, name="sandbox-clock"),
    path(
        f"{SANDBOX}personen/<int:person_id>/kaart-deblokkeren/",
        views.sandbox_card_unblock,
        name="sandbox-card-unblock",
    ),
]
