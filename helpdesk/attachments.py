"""What the web form accepts as "Een bestand toevoegen": at most 5 MB of PDF, PNG, JPEG or plain text,
recognised by its content (the first bytes), not by its name; the name's extension must agree.
Anything else, an executable first of all, is refused with a Dutch message."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.utils.translation import gettext_lazy as _

from accessportal.services import ServiceError

MAX_SIZE = 5 * 1024 * 1024
SNIFF_BYTES = 8192
# content type → (extensions the name may have, extension of the download)
ALLOWED = {
    "application/pdf": ({".pdf"}, "pdf"),
    "image/png": ({".png"}, "png"),
    "image/jpeg": ({".jpg", ".jpeg"}, "jpg"),
    "text/plain": ({".txt", ".log", ".csv"}, "txt"),
}
TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13}  # tab, line feed, form feed, carriage return allowed


@dataclass(frozen=True)
class Attachment:
    content_type: str
    size: int
    extension: str


def _refused(message, code: str) -> ServiceError:
    return ServiceError(message, field="attachment", code=code)


def _is_plain_text(upload) -> bool:
    upload.seek(0)
    data = upload.read(MAX_SIZE + 1)
    upload.seek(0)
    return bool(data) and not any(byte in TEXT_CONTROLS for byte in data)


def attachment_check(upload) -> Attachment:
    """The attachment's kind, or a ServiceError on the field ``attachment``."""
    size = upload.size or 0
    if size > MAX_SIZE:
        raise _refused(_("Het bestand is te groot: ten hoogste 5 MB."), "too_large")
    if size == 0:
        raise _refused(_("Het bestand is leeg."), "empty")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    guessed = filetype.guess(head)
    if guessed is not None:
        content_type = guessed.mime
    elif _is_plain_text(upload):
        content_type = "text/plain"
    else:
        content_type = ""
    extension = PurePath(upload.name or "").suffix.lower()
    if content_type not in ALLOWED or extension not in ALLOWED[content_type][0]:
        raise _refused(
            _(
                "Dit bestand kan niet worden toegevoegd. Voeg een PDF, een afbeelding (PNG of JPEG) of een "
                "tekstbestand (.txt) toe; programma's en andere bestanden worden geweigerd."
            ),
            "type",
        )
    return Attachment(content_type=content_type, size=size, extension=ALLOWED[content_type][1])
