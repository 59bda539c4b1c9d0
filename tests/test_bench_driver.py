"""bench/ runs on demand (`make bench`), not under pytest: these keep the driver's own parts from rotting
without timing anything (the engine benchmark's bodies and the engine on them, the table, memory)."""

from __future__ import annotations

import os

from bench import assessment, soak
from bench.table import Table, spread


def test_bodies_are_50_kb_of_english_and_chinese():
    body = assessment.build_body(seed=3)
    assert 50 * 1024 <= len(body.encode()) < 51 * 1024
    assert sum("\u4e00" <= c <= "\u9fff" for c in body) > 2000
    assert sum(c.isascii() and c.isalpha() for c in body) > 10000
    assert body != assessment.build_body(seed=4)


def test_the_engine_finds_what_the_bodies_hold():
    result = assessment.measure(seconds=0, bodies=3, one_core=False)
    assert {"leaked_pricing", "internal_info_external", "personal_data_external"} <= set(result["factors"])
    assert 49 < result["kilobytes"] < 51


def test_the_table_has_one_row_per_measure_and_says_what_missed_its_target(capsys):
    table = Table()
    table.add(
        "filing", "to the first email", "20 incidents/s", spread([0.05, 0.1, 0.3], 1000), "0", "p95 < 200 ms", False
    )
    table.add("assessment engine", "assess()", "3,000 assessments/s")
    lines = table.markdown().splitlines()
    assert lines[:2] == Table.HEADER.splitlines()
    assert all(line.count("|") == 8 for line in lines)
    assert "| 100.0 / 300.0 / 300.0 |" in lines[2] and lines[2].endswith("| p95 < 200 ms | **no** |")
    assert lines[3].endswith("| – | – | – | – |")
    assert capsys.readouterr().out.splitlines() == lines[2:]


def test_memory_is_read_per_process():
    assert soak.rss_kb(os.getpid()) > 0
    assert os.getpid() in soak.children(os.getppid())
