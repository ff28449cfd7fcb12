"""bench/run.py's comparison of a larger world with the normal one (issue 18: a page's cost may not
grow more than 1.5 x with the data)."""

from bench.run import floor_multiple, world_comparison


def page(key, ms, queries, ratio=0.1):
    return {"key": key, "label": key, "inprocess_median_ms": ms, "queries": queries, "ratio": ratio}


def test_a_page_above_the_limit_or_with_more_queries_is_marked():
    normal = {
        "commit": "abc",
        "pages": [page("floor", 0.2, 0), page("a", 10, 5), page("b", 10, 5), page("c", 10, 5)],
    }
    here = [page("floor", 0.3, 0), page("a", 14.9, 5), page("b", 15.1, 5), page("c", 9, 6), page("new", 1, 1)]
    rows, text = world_comparison(here, normal)
    assert [(row["key"], row["factor"], row["meets"]) for row in rows] == [
        ("a", 1.49, True),
        ("b", 1.51, False),
        ("c", 0.9, False),
    ]
    assert "1.51!" in text and "1.49 " in text


def test_a_pages_cost_as_a_multiple_of_the_floors_in_the_same_run():
    run = [page("floor", 0.25, 0), page("a", 10, 5), page("b", None, 5)]
    assert floor_multiple(run[1], run) == 40.0
    assert floor_multiple(page("a", 5, 5), {"pages": [page("floor", 0.2, 0)]}) == 25.0  # a results.json
    assert floor_multiple(run[2], run) is None  # not measured in-process
    assert floor_multiple(run[1], [page("a", 10, 5)]) is None  # no floor in that run
    assert floor_multiple(None, run) is None  # a page the previous run did not have
