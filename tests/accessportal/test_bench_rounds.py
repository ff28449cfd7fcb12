"""bench/run.py: each round's ratio is to the floor runs on either side of it, and a page's figures are
its median round's."""

from datetime import date

from bench import run
from bench.run import evaluate, measure, median_index, ratio_rounds, round_span


def runs(*rps):
    return [{"rps": value} for value in rps]


def test_a_rounds_ratio_is_to_the_mean_of_the_floor_runs_before_and_after_it():
    floors = runs(2000.0, 3000.0, 2500.0)
    rounds = ratio_rounds(floors, runs(500.0, 550.0))
    assert rounds == [
        {"rps": 500.0, "floor_rps": 2500.0, "ratio": 0.2},
        {"rps": 550.0, "floor_rps": 2750.0, "ratio": 0.2},
    ]


def test_a_machine_that_speeds_up_during_the_run_leaves_the_ratios_as_they_are():
    """The page costs a fifth of the floor throughout; the machine gets 2.5 times faster meanwhile."""
    floors = runs(1000.0, 1500.0, 2000.0, 2500.0)
    rounds = ratio_rounds(floors, runs(250.0, 350.0, 450.0))
    assert [row["ratio"] for row in rounds] == [0.2, 0.2, 0.2]


def test_the_median_round_is_the_middle_ratio_and_the_lower_middle_for_an_even_number():
    assert median_index([0.30, 0.20, 0.25]) == 2
    assert median_index([0.3, 0.1, 0.2, 0.4]) == 2
    assert median_index([0.3]) == 0


def test_the_table_shows_the_lowest_and_highest_rounds_ratio():
    assert round_span([{"ratio": 0.214}, {"ratio": 0.251}, {"ratio": 0.095}]) == "0.095-0.251"
    assert round_span([]) == "-"  # the floor
    assert round_span(None) == "-"  # a results.json of before the rounds


def test_a_run_measures_the_rounds_then_each_page_at_half_its_saturation_as_the_machine_is_then(monkeypatch):
    """Three rounds: the floor before each and after the last (1,000 to 1,600 requests/s), the users
    list in each; then one more floor run (2,000) before the half-saturation runs."""
    saturated = {
        "floor": iter([1000.0, 1200.0, 1400.0, 1600.0, 2000.0]),
        "users": iter([100.0, 156.0, 130.0]),
    }
    halves = []

    def load(server, page, *, seconds, connections, rate, days):
        if seconds == run.WARMUP_SECONDS:
            return {}
        if rate:
            halves.append((page["key"], round(rate, 1)))
            return {"rps": rate, "errors": 0, "p95_ms": 3.0}
        return {"rps": next(saturated[page["key"]]), "errors": 0}

    monkeypatch.setattr(run, "load", load)
    monkeypatch.setattr(run, "smoke", lambda server, page, day: None)
    monkeypatch.setattr(run, "ROUNDS", 3)
    monkeypatch.setattr(run, "ROUND_SECONDS", 5)
    pages = [
        {"key": "floor", "label": "floor", "kind": "floor", "path": "/healthz/", "queries": 0},
        {"key": "users", "label": "users", "kind": "list", "path": "/users/", "queries": 6},
    ]
    rows = measure(None, pages, {"post_first_day": date(2030, 1, 1).isoformat()})

    floor, users = rows
    assert floor["floor_runs_rps"] == [1000.0, 1200.0, 1400.0, 1600.0]
    assert floor["floor_before_half_rps"] == 2000.0
    assert floor["saturation"]["rps"] == 1200.0  # the lower middle of the four floor runs
    # 100 / 1,100, 156 / 1,300 and 130 / 1,500: the median round is the first
    assert [row["ratio"] for row in users["rounds"]] == [0.091, 0.12, 0.087]
    assert users["ratio"] == 0.091 and users["saturation"]["rps"] == 100.0
    assert halves == [("floor", 1000.0), ("users", 91.0)]  # half of the ratio x the last floor run

    pages = evaluate(rows)
    assert pages[1]["ratio"] == 0.091 and pages[1]["meets"]["ratio"] is False  # target 0.10
    assert pages[1]["rounds"] == users["rounds"]
    assert pages[0]["ratio"] == 1.0
