"""The fault test's mail server: every mail becomes one file named by a fresh id, after a pause that
leaves time to kill the worker in the middle of sending. Its Message-ID header tells duplicates apart."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(os.environ["FAULT_MAILBOX_DIR"])
        self.pause = float(os.environ.get("FAULT_MAIL_PAUSE", "0.05"))

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            time.sleep(self.pause)
            (self.directory / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
