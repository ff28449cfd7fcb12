"""A wizard's answers between its steps, kept in the session behind a signed reference.

A wizard with one URL per step (Post/Redirect/Get) has to carry its answers from one step to the
next. Those answers are personal (an INSZ, e-mail addresses), and a URL ends up in the browser's
history, in access logs and in the Referer of the next request. So the answers stay in the session
and the URL carries only a reference to them (``?aanvraag=``): a random key, signed with
``django.core.signing`` together with the wizard's scope (e.g. the hoedanigheid or subafdeling id).

A reference is refused (``load`` answers None) when
- its signature is bad or older than ``max_age`` seconds;
- it belongs to another wizard: every wizard signs with its own salt;
- it belongs to another scope: a reference made for one hoedanigheid does not open another's;
- it belongs to another session: the answers are only in the session that made them.
A session keeps at most ``keep`` drafts per wizard; creating one forgets expired drafts and then the
oldest, so that abandoned wizards do not make the session grow.
"""

import secrets
import time

from django.core import signing


class SessionDrafts:
    """The drafts of one wizard: ``name`` is their session key, ``salt`` signs their references."""

    def __init__(self, name: str, salt: str, max_age: int = 3600, keep: int = 20):
        self.name = name
        self.salt = salt
        self.max_age = max_age
        self.keep = keep

    def create(self, request, scope, **answers) -> str:
        """Keep ``answers`` in the session; return the signed reference the next steps carry.

        ``scope`` is a JSON value, such as a primary key, that ``load`` must be given again."""
        now = time.time()
        drafts = {
            key: entry
            for key, entry in request.session.get(self.name, {}).items()
            if now - entry["at"] < self.max_age
        }
        for key in sorted(drafts, key=lambda key: drafts[key]["at"])[: max(0, len(drafts) - self.keep + 1)]:
            del drafts[key]
        key = secrets.token_urlsafe(12)
        drafts[key] = {"scope": scope, "at": now, "answers": answers}
        request.session[self.name] = drafts
        return signing.dumps({"s": scope, "d": key}, salt=self.salt)

    def load(self, request, token: str, scope) -> dict | None:
        """The answers behind ``token``, or None when the reference is refused (see the module)."""
        try:
            reference = signing.loads(token, salt=self.salt, max_age=self.max_age)
            entry = request.session.get(self.name, {})[reference["d"]]
            if reference["s"] != scope or entry["scope"] != scope:
                return None
            return entry["answers"]
        except (signing.BadSignature, KeyError, TypeError):
            return None

    def save(self, request, token: str, answers: dict) -> None:
        """Store the changed answers behind ``token``, a reference ``load`` accepted in this request.

        Raises ``signing.BadSignature`` for a reference that is not valid (any more)."""
        reference = signing.loads(token, salt=self.salt, max_age=self.max_age)
        drafts = request.session.get(self.name, {})
        at = drafts.get(reference["d"], {}).get("at", time.time())
        drafts[reference["d"]] = {"scope": reference["s"], "at": at, "answers": answers}
        request.session[self.name] = drafts


class SignedSelections:
    """A selection in a list (ids of users, co-LBs, applications) carried from the list to its
    confirmation in the URL (``?selectie=``): ids are not personal data, so no session is needed. The
    token is signed with the screen's ``salt`` together with its scope (the subafdeling or
    hoedanigheid id), and refused when tampered with, older than ``max_age`` seconds or made for
    another scope."""

    def __init__(self, salt: str, max_age: int = 3600):
        self.salt = salt
        self.max_age = max_age

    def dumps(self, scope, ids) -> str:
        return signing.dumps({"s": scope, "ids": sorted(ids)}, salt=self.salt)

    def load(self, token: str, scope) -> list[int] | None:
        """The ids of the selection, or None when the token is refused."""
        try:
            selection = signing.loads(token, salt=self.salt, max_age=self.max_age)
            if selection["s"] != scope:
                return None
            return [int(pk) for pk in selection["ids"]]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
