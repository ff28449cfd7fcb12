import logging

from celery import shared_task

from training import services

logger = logging.getLogger(__name__)


@shared_task(name="training.tasks.build_classroom", acks_late=True)
def build_classroom(classroom_id: int) -> int:
    """Build the sandboxes a classroom still lacks (idempotent: a retried task only adds what is
    missing)."""
    return services.classroom_build(classroom_id=classroom_id)


def build_classroom_enqueue(classroom_id: int) -> None:
    """Hand the build to a worker; with the broker unreachable, build here and now (the page then
    shows a built classroom, seconds later than usual)."""
    try:
        build_classroom.delay(classroom_id)
    except Exception:
        logger.warning("Could not hand classroom %s to the broker; building it inline.", classroom_id)
        services.classroom_build(classroom_id=classroom_id)


@shared_task(name="training.tasks.reload_demo_world", acks_late=True)
def reload_demo_world() -> bool:
    """Run the queued reload of the demo world (a second delivery finds nothing queued)."""
    return services.demo_reload_run()


def demo_reload_enqueue() -> None:
    """Hand the queued reload to a worker; with the broker unreachable, run it here and now."""
    try:
        reload_demo_world.delay()
    except Exception:
        logger.warning("Could not hand the demo world's reload to the broker; reloading it inline.")
        services.demo_reload_run()
