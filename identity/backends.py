"""The portal's authentication backend: Django's ModelBackend, reading the signed-in person once per
request together with what every portal page shows of them."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from accessportal.models import StructuredMessage
from accessportal.prepared import prepared_cursor
from accessportal.rows import joined_columns
from identity.models import Person

_PERSON = (("p", Person),)


@cache
def _person_sql(select: str) -> str:
    """The person by id, with the badge of "Gestructureerde berichten" in every portal page's menu:
    their unread messages, counted in the same statement (over the index on recipient and read_at).
    Written out: the ORM took longer to build this statement than PostgreSQL to answer it."""
    q = connection.ops.quote_name
    unread = (
        f"SELECT COUNT(*) FROM {q(StructuredMessage._meta.db_table)} m "  # noqa: S608 (our own tables)
        "WHERE m.recipient_id = p.id AND m.read_at IS NULL"
    )
    return f"SELECT {select}, ({unread}) FROM {q(Person._meta.db_table)} p WHERE p.id = %s"  # noqa: S608


def person_with_unread_count(person_id) -> Person | None:
    """The person with ``unread_message_count``, or None (no such person, or not an id at all)."""
    try:
        person_id = Person._meta.pk.to_python(person_id)
    except ValidationError:
        return None
    columns = joined_columns(connection.vendor, *_PERSON)
    with prepared_cursor() as cursor:  # every signed-in request: planned once per connection
        cursor.execute(_person_sql(columns.select), [person_id])
        row = cursor.fetchone()
    if row is None:
        return None
    person = columns.instances(row)["p"]
    person.unread_message_count = row[-1]
    return person


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        person = person_with_unread_count(user_id)
        return person if person is not None and self.user_can_authenticate(person) else None
