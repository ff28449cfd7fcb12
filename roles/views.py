from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accessportal.http import get_or_404
from administrators.permissions import enterprise_led_by, htb_level
from roles.progress import GOAL
from roles.selectors import enterprise_progress, next_step, stappenplan


@login_required
@require_safe
def enterprise_stappenplan(request, kbo):
    """The enterprise's stappenplan (manual chapter 2, figure 2): the steps done, the next one linked."""
    enterprise = get_or_404(enterprise_led_by, request.user, kbo)
    done = enterprise_progress(enterprise)
    steps = stappenplan(enterprise, done)
    return render(
        request,
        "roles/stappenplan.html",
        {
            "enterprise": enterprise,
            "htb_level": htb_level(request.user, enterprise),
            "steps": steps,
            "next": next_step(steps),
            "goal_reached": done[GOAL.key],
            "help_section": "h-2",
        },
    )
