"""The portal's authentication backend: Django's ModelBackend, reading the signed-in person once per
request together with what every portal page shows of them."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from accessportal.models import StructuredMessage
from accessportal.prepared import prepared_statements
from identity.models import Person


@cache
def _unread_count_sql() -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT COUNT(*) FROM {q(StructuredMessage._meta.db_table)} m "  # noqa: S608 (our own table)
        f"WHERE m.recipient_id = {q(Person._meta.db_table)}.id AND m.read_at IS NULL"
    )


def with_unread_message_count(people):
    """``people`` with ``unread_message_count``: the badge of "Gestructureerde berichten" in every
    portal page's menu, counted in the same statement (over the index on recipient and read_at).
    Written out: its ORM form (a Subquery with Count and Coalesce) cost more to build than the
    query it saved."""
    return people.annotate(
        unread_message_count=RawSQL(f"({_unread_count_sql()})", [], output_field=IntegerField())  # noqa: S611
    )


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        with prepared_statements():  # every signed-in request: planned once per connection
            person = with_unread_message_count(Person._default_manager.filter(pk=user_id)).first()
        return person if person is not None and self.user_can_authenticate(person) else None
