"""bench/instructions.py: the instructions a page costs, read from callgrind's output, and printed by
bench/run.py beside the previous run's."""

import pytest

from bench.instructions import total_instructions
from bench.run import table

CALLGRIND_OUT = """# callgrind format
version: 1
creator: callgrind-3.19.0
cmd:  python bench/instructions.py plan.json users 10
events: Ir
fl=(1) ???
fn=(1) 0x0000000000001140
0 3
summary: 0
totals: 246370551
"""


def test_the_count_is_the_totals_line_of_the_output():
    """Its summary line says 0 when the counting was turned on during the run."""
    assert total_instructions(CALLGRIND_OUT) == 246_370_551
    with pytest.raises(ValueError):
        total_instructions("events: Ir\nsummary: 0\n")


def row(key, count=None):
    numbers = {"rps": 100.0, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0, "errors": 0}
    page = {
        "key": key,
        "label": key,
        "queries": 4,
        "ratio": 0.1,
        "target_ratio": 0.15,
        "inprocess_median_ms": 5.0,
        "saturation": numbers,
        "half_saturation": {**numbers, "rate": 50.0},
        "meets": {"ratio": False, "p95": True, "queries": True, "errors": True},
    }
    if count is not None:
        page["instructions_millions"] = count
    return page


def test_the_table_shows_each_pages_count_beside_the_previous_runs():
    text = table([row("floor", 1.41), row("users", 24.64)], {"pages": [row("users", 46.09)]})
    assert "24.64 M instructions (previous: 46.09)" in text
    assert "1.41 M instructions (previous: -)" in text
    assert "- M instructions" in table([row("users")], None)  # not counted (BENCH_INSTRUCTIONS=0)
