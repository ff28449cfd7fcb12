"""The trainers' pages (/opleiding/): classrooms, their progress, the trainees' cards, the demo reset."""

from django.urls import path  # noqa: F401

app_name = "training"

urlpatterns = []
