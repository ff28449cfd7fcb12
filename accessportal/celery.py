import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accessportal.settings")

app = Celery("accessportal")
app.config_from_object("accessportal.celery_config:CONFIG", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender, **kwargs):
    """kombu's filesystem transport needs its folders to exist before a worker or client uses it."""
    from pathlib import Path

    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
