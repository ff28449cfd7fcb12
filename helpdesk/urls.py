"""The eHealth contact center's web form and the helpdesk of the simulation (trainers)."""

from django.urls import path

from helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("contactcenter-ehealth/", views.contact, name="contact"),
    path("contactcenter-ehealth/verzonden/", views.sent, name="sent"),
    path("opleiding/helpdesk/", views.tickets, name="tickets"),
    path("opleiding/helpdesk/<str:number>/", views.ticket, name="ticket"),
    path("opleiding/helpdesk/<str:number>/bijlage/", views.attachment, name="attachment"),
]
