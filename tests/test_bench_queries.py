"""A page's cost grows with what it shows, never with history: the benchmark's pages run as many
SQL statements on a charity twice the size (bench/queries.py counts every statement SQLite runs)."""

import pytest

from bench.build import ensure
from bench.queries import count
from conftest import on_postgresql

# Accept answers with every slot block of the month that shows the accepted volunteer: its count
# follows that volunteer's offers (what the board shows), so it is compared by the benchmark only.
SHOWS_MORE_WITH_THE_VOLUNTEER = {"Accept (inline)"}


@pytest.mark.skipif(on_postgresql(), reason="the benchmark's charity is built in SQLite")
def test_every_page_runs_as_many_queries_on_a_charity_twice_the_size(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    small, large = (count(ensure(scale, root=root, log=lambda *_: None)) for scale in (0.01, 0.02))
    assert set(small) == set(large) and len(small) >= 10
    for page in set(small) - SHOWS_MORE_WITH_THE_VOLUNTEER:
        assert small[page] == large[page], (page, small[page], large[page])
