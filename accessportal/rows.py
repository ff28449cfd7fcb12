"""Several models' rows in one SELECT, and their instances back from each row, as the ORM would
build them (the backend's converters applied): for reads the ORM cannot say in one query, such as
the access decision's chain (roles.chain_state)."""

from collections.abc import Sequence
from functools import cache, cached_property
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from accessportal.prepared import prepared_cursor

_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _plain(model) -> bool:
    """Whether ``model.from_db`` does no more than store the values in the instance's ``__dict__``
    (with a ``ModelState`` saying it came from the database) and send ``pre_init`` / ``post_init``:
    no ``__init__`` or ``from_db`` of its own, and every field's descriptor Django's own (whose
    ``__set__``, if any, on a new instance only stores the value)."""
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and all(
            type(getattr(model, f.attname, None)) in _PLAIN_DESCRIPTORS for f in model._meta.concrete_fields
        )
    )


@cache
def joined_columns(vendor: str, *parts) -> "JoinedColumns":
    """One ``JoinedColumns`` per backend and list of parts, built once per process."""
    return JoinedColumns(*parts)


class JoinedColumns:
    """The columns of ``(alias, model)`` pairs, in order: ``select()`` for the SELECT list,
    ``instances(row)`` for the models of a row (None where a LEFT JOIN found nothing).

    A part ``(alias, model, attnames)`` reads only those fields (the primary key among them), as
    ``only()`` would: the others are deferred, and reading one costs a query of its own."""

    def __init__(self, *parts):
        self.parts = []
        for alias, model, *only in parts:
            fields = [f for f in model._meta.concrete_fields if not only or f.attname in only[0]]
            cols = [field.get_col(alias) for field in fields]
            converters = [
                connection.ops.get_db_converters(col) + col.get_db_converters(connection) for col in cols
            ]
            pk_index = fields.index(model._meta.pk)
            self.parts.append(
                (
                    alias,
                    model,
                    [f.attname for f in fields],
                    list(zip(cols, converters, strict=True)),
                    pk_index,
                    _plain(model),
                    # the columns whose values the backend converts (few: most are taken as they come)
                    [(i, col, c) for i, (col, c) in enumerate(zip(cols, converters, strict=True)) if c],
                )
            )

    @cached_property
    def width(self) -> int:
        """How many columns ``select`` lists."""
        return sum(len(cols) for _alias, _model, _names, cols, *_rest in self.parts)

    @cached_property
    def select(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(
            f"{alias}.{quote(col.target.column)}"
            for alias, _model, _names, cols, *_rest in self.parts
            for col, _c in cols
        )

    def instances(self, row, seen: dict | None = None) -> dict:
        """The instances of ``row``; with ``seen`` (a dict kept across the rows of one result), a
        model's row met before is the instance built then, not another one (a join repeats the
        facility's row for each role assignment, say).

        An instance is what ``model.from_db`` returns; built without it (no ``__init__``, no signals:
        a fourth of the cost) when that is the same instance (``_plain``), as long as no receiver of
        ``pre_init`` / ``post_init`` is connected (the project has none; one connected later gets its
        signals)."""
        found, start = {}, 0
        db = None  # the connection, for the converters that need it (looked up once, if at all)
        direct = not (pre_init.receivers or post_init.receivers)
        for alias, model, names, _cols, pk_index, plain, converted in self.parts:
            end = start + len(names)
            pk = row[start + pk_index]
            if pk is None:
                found[alias], start = None, end
                continue
            if seen is not None:
                key = (alias, pk)
                if key in seen:
                    found[alias], start = seen[key], end
                    continue
            values = row[start:end]
            start = end
            if converted:
                db = db or connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy
                values = list(values)
                for index, col, converters in converted:
                    for converter in converters:
                        values[index] = converter(values[index], col, db)
            if direct and plain:
                instance = found[alias] = model.__new__(model)
                state = ModelState()
                state.adding, state.db = False, DEFAULT_DB_ALIAS
                instance.__dict__["_state"] = state
                instance.__dict__.update(zip(names, values, strict=True))
            else:
                found[alias] = model.from_db(DEFAULT_DB_ALIAS, names, values)
            if seen is not None:
                seen[key] = found[alias]
        return found


def rows_read(columns: JoinedColumns, sql: str, parameters: Sequence) -> list[dict]:
    """Each row of the written-out statement ``sql`` (prepared on PostgreSQL), as the instances of
    ``columns``' parts; a row met twice (a role held twice) is one instance."""
    seen = {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, parameters)
        return [columns.instances(row, seen) for row in cursor.fetchall()]


def in_order_of(ids: Sequence[int], rows: list[dict], alias: str) -> list[dict]:
    """``rows`` in the order of ``ids``, the ids of their part ``alias`` (an id not read is left out)."""
    by_id = {row[alias].pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def placeholders(count: int) -> str:
    """``%s, %s, …`` for an ``IN (…)`` of ``count`` values."""
    return ", ".join(["%s"] * count)


def queryset_holding(queryset: QuerySet, rows: list) -> QuerySet:
    """``queryset``, evaluated: holding ``rows``, read written out, as its result. For the choices of
    a form's field: they are iterated from ``rows``, and a chosen value is still checked by the
    database against the queryset's own filter (``ModelChoiceField.to_python`` asks ``get()`` of it).
    ``rows`` must be what the queryset would read."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


# The value a queryset compiled once (``statement_of``) is built with, in the place of the one it runs
# with each time: no id takes it.
PARAMETER = -4_611_686_018_427_387_903


def statement_of(queryset: QuerySet) -> str:
    """The SQL the ORM compiles for ``queryset``, built with ``PARAMETER`` as its one value: kept per
    process and run with another value in its place, so that a request does not build and compile
    the same queryset again (about 1 ms of Python for a list's page of ids). Refused when the
    statement has other values than that one (a criterion's): they would be kept with it."""
    sql, parameters = queryset.query.sql_with_params()
    if list(parameters) != [PARAMETER]:
        raise ValueError(f"A statement to keep has PARAMETER as its one value, not {parameters!r}.")
    return sql


class RowId(NamedTuple):
    """A row of a page of ``PagedIds``: its id, as the row of an ORM page of ids gives it."""

    pk: int


class PagedIds:
    """The ids of a list's rows in its order, as a Paginator's ``object_list``: a page is read by
    ``sql`` (``statement_of`` a queryset of ids, with its ``parameter``), prepared, with LIMIT and
    OFFSET added. ``count``: the number of the list's rows, known without counting them; without it,
    ``sql`` gives that number beside each id (``COUNT(*) OVER ()``) for a CountedPaginator."""

    def __init__(self, sql: str, parameter, count: int | None = None):
        self.sql, self.parameter, self._count = f"{sql} LIMIT %s OFFSET %s", parameter, count

    def count(self) -> int:
        if self._count is None:  # a counting statement: its first row says (a page past the end)
            rows, total = self.counted(0, 1)
            if rows and total is None:
                raise ValueError("PagedIds without a count needs a statement that counts its rows.")
            self._count = total or 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[RowId]:
        offset = window.start or 0
        if window.stop <= offset:  # the empty page of an empty list: as a queryset, no statement
            return []
        return self.counted(offset, window.stop)[0]

    def counted(self, offset: int, stop: int) -> tuple[list[RowId], int | None]:
        """The rows from ``offset`` to ``stop`` and, when the statement counts, the number of all the
        rows (None when the page is past the end)."""
        with prepared_cursor() as cursor:
            cursor.execute(self.sql, [self.parameter, max(0, stop - offset), offset])
            rows = cursor.fetchall()
        return [RowId(row[0]) for row in rows], (rows[0][1] if rows and len(rows[0]) > 1 else None)


@cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)


def choice_label(instance: Model, name: str) -> str:
    """What ``instance.get_<name>_display()`` says, in the active language, for a list's rows: Django
    builds the field's choices into a dict again at every call (about 80,000 instructions a row of the
    users list), this reads the dict kept per field."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    return str(_choice_labels(field).get(value, value))
