"""Celery's settings: the ``CELERY_*`` of Django's settings, read into a dict when Celery first needs
them (``accessportal.celery``).

Read through Django's lazy settings object instead, every option Celery looks up at a publish (seven
of them, most of them not set here) went through that object and its AttributeError before Celery's
defaults: 0.4 million instructions of ``make bench``'s POST adding a role. A setting changed while the
process runs (``override_settings``) does not reach Celery: change ``app.conf`` itself, as the tests
do."""

from django.conf import settings

CONFIG = {name: getattr(settings, name) for name in dir(settings) if name.startswith("CELERY_")}
