"""Who may see and change the roles of a user: whoever manages the user's subafdeling
(subdivisions.permissions). Views reach a role through the user they obtained with
``users.permissions.user_of_subafdeling`` (None, so 404, for anyone else); services re-check with
``users.permissions.require_user_manager``, which refuses with the subafdeling's one message."""

from roles.models import RoleAssignment
from users.models import SubafdelingUser


def assignment_of_user(user: SubafdelingUser, assignment_id) -> RoleAssignment | None:
    """One role of a user the caller may see, as saved (also ended or on its way out); None for a role
    of anyone else."""
    return RoleAssignment.objects.filter(user=user, pk=assignment_id).select_related("role").first()
