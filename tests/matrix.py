"""The vocabulary of the access matrix, shared by tests/test_access_matrix.py and the per-screen
entry modules (tests/matrix_*.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

LEVELS = [
    "anonymous",
    "nobody",
    "outsider_htb",
    "outsider_co_htb",
    "outsider_tb",
    "outsider_sb",
    "outsider_user_person",
    "legal_rep",
    "htb",
    "co_htb",
    "tb",
    "sb",
    "user_person",
    "trainer",
    "outsider_trainer",
    "trainee",
    "outsider_trainee",
]

LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page


@dataclass
class Expect:
    """Expected status per level; ``default`` for every level not named."""

    default: int | str
    levels: dict[str, int | str] = field(default_factory=dict)
    kwargs: Callable = lambda world: {}
    method: str = "get"

    def for_level(self, level: str):
        return self.levels.get(level, self.default)


def everyone(status: int | str, **kwargs) -> Expect:
    return Expect(default=status, **kwargs)


def signed_in(status: int | str = 200, **kwargs) -> Expect:
    return Expect(default=status, levels={"anonymous": LOGIN}, **kwargs)


def only(levels: dict[str, int | str], **kwargs) -> Expect:
    """Signed-in people not named get 404: they must not learn that the object exists."""
    return Expect(default=404, levels={"anonymous": LOGIN, **levels}, **kwargs)
