"""``manage.py seed_scale``: load the large generated world the benchmarks run on (see worlds.scale)."""

from django.core.management.base import BaseCommand, CommandError

from accessportal.identifiers import insz_format
from worlds import scale


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Load the scale world for benchmarks (1,000 enterprises, 10,000 subafdelingen, 200,000 users, "
        "500,000 role assignments by default) with bulk inserts. No audit events are written."
    )

    def add_arguments(self, parser):
        defaults = scale.ScaleOptions()
        parser.add_argument("--enterprises", type=positive, default=defaults.enterprises)
        parser.add_argument("--subafdelingen", type=positive, default=defaults.subafdelingen)
        parser.add_argument("--users", type=positive, default=defaults.users)
        parser.add_argument("--roles", type=positive, default=defaults.roles, help="role assignments")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the scale world already loaded, then load a new one",
        )
        parser.add_argument(
            "--no-copy",
            dest="use_copy",
            action="store_false",
            default=None,
            help="use bulk_create on PostgreSQL too, instead of COPY",
        )

    def handle(self, *args, **options):
        try:
            world = scale.ScaleOptions(
                enterprises=options["enterprises"],
                subafdelingen=options["subafdelingen"],
                users=options["users"],
                roles=options["roles"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        verbose = options["verbosity"] >= 2
        try:
            report = scale.load_scale_world(
                world,
                replace=options["replace"],
                use_copy=options["use_copy"],
                progress=self.stdout.write if options["verbosity"] >= 1 else None,
            )
        except scale.ScaleWorldExists as error:
            raise CommandError(str(error)) from error
        except ValueError as error:
            raise CommandError(str(error)) from error

        if verbose:
            for step, seconds in report.steps:
                self.stdout.write(f"  {step:<24} {seconds:8.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Scale world loaded in {report.seconds:.1f} s (seed {report.seed}).")
        )
        width = max(len(model._meta.label) for model in report.counts)
        for model, count in report.counts.items():
            self.stdout.write(f"  {model._meta.label:<{width}} {count:>9,}")
        self.stdout.write(f"  {'total':<{width}} {sum(report.counts.values()):>9,}")
        self.stdout.write(
            f"Big subafdeling: id {report.big_subafdeling_id}, HCO {report.big_subafdeling_hco}, "
            f"{report.big_subafdeling_users:,} users; HTB of its enterprise: "
            f"{insz_format(report.big_subafdeling_htb_insz)} "
            f"(every generated person signs in with eID PIN {scale.PIN})."
        )
