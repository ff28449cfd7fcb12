"""Rendered fragments that are pure functions of a key, kept per process (``{% keep %}``).

Django's ``{% cache %}`` hashes its key, pickles the fragment into a cache backend and back, and checks
every key for memcached: for a fragment of a few links that costs as much as rendering it. A fragment
kept here is the rendered text itself in a dict, under the tuple of the values it depends on.

Nothing is ever invalidated: a key must name everything its fragment shows (a name, a right, the
language), so that a change is a new key. A fragment may not hold a CSRF token (refused when kept) nor
anything of the request or the person that is not in its key. The dict is emptied when it holds
``LIMIT`` fragments, so a process keeps at most that many.
"""

LIMIT = 2000
CSRF_FIELD = 'name="csrfmiddlewaretoken"'

_kept: dict[tuple, str] = {}


class FragmentError(Exception):
    """A fragment that may not be kept (it holds a CSRF token)."""


def fragment_get(key: tuple) -> str | None:
    return _kept.get(key)


def fragment_keep(key: tuple, text: str) -> str:
    if CSRF_FIELD in text:
        raise FragmentError(f"A fragment with a CSRF token cannot be kept for others: {key[0]!r}.")
    if len(_kept) >= LIMIT:
        _kept.clear()
    _kept[key] = text
    return text


def fragments_clear() -> None:
    _kept.clear()
