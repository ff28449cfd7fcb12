"""Reads of people shared by the lists of the portal."""

from django.db.models import QuerySet

PERSON_CRITERIA = {
    "naam": "last_name__icontains",
    "voornaam": "first_name__icontains",
    "gebruikersnaam": "username__icontains",
    "insz": "insz__startswith",
}


def people_filtered(rows: QuerySet, filters: dict, path: str = "", criteria: dict | None = None) -> QuerySet:
    """``rows`` (people, or rows whose person is at ``path``, e.g. ``"person__"``) filtered in the
    database on the person criteria of the portal's lists: Naam and Voornaam (a part, any case),
    Gebruikersnaam (a part), INSZ (its digits: the start of the number). A criterion that is absent or
    empty in ``filters`` is ignored. ``criteria`` replaces PERSON_CRITERIA's lookups for rows that
    keep some of the person's data themselves (users.selectors.USER_CRITERIA)."""
    for criterion, lookup in (criteria or {k: path + v for k, v in PERSON_CRITERIA.items()}).items():
        if filters.get(criterion):
            rows = rows.filter(**{lookup: filters[criterion]})
    return rows
