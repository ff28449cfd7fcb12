"""Celery's settings: the ``CELERY_*`` of Django's settings, read into a dict when Celery first needs
them (``accessportal.celery``).

Read through Django's lazy settings object instead, every option Celery looks up at a publish (seven
of them, most of them not set here) went through that object and its AttributeError before Celery's
defaults: a fifth of a publish's time."""

from django.conf import settings

CONFIG = {name: getattr(settings, name) for name in dir(settings) if name.startswith("CELERY_")}
