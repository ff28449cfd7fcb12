"""bench/run.py: each round's ratio is to the floor runs on either side of it, and a page's figures are
its median round's."""

from bench.run import median_round, ratio_rounds, round_span


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
    """The page costs a fifth of the floor throughout; the machine doubles its speed meanwhile."""
    floors = runs(1000.0, 1500.0, 2000.0, 2500.0)
    rounds = ratio_rounds(floors, runs(250.0, 350.0, 450.0))
    assert [row["ratio"] for row in rounds] == [0.2, 0.2, 0.2]


def test_the_median_round_is_the_middle_ratio_and_the_lower_middle_for_an_even_number():
    rounds = [{"ratio": 0.30}, {"ratio": 0.20}, {"ratio": 0.25}]
    assert median_round(rounds) == 2
    assert median_round([{"ratio": 0.3}, {"ratio": 0.1}, {"ratio": 0.2}, {"ratio": 0.4}]) == 2
    assert median_round([{"ratio": 0.3}]) == 0


def test_the_table_shows_the_lowest_and_highest_rounds_ratio():
    assert round_span([{"ratio": 0.214}, {"ratio": 0.251}, {"ratio": 0.2}]) == "0.20-0.25"
    assert round_span([]) == "-"  # the floor
    assert round_span(None) == "-"  # a results.json of before the rounds
