"""The identity commands as a person types them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from tests.cli.test_cli import _run


def test_compare_json_and_search_and_a_readable_failure(engine: Engine, tmp_path: Path) -> None:
    compared = _run(
        engine, tmp_path, "identity", "compare", "Abd al-Rahman", "Abdulrahman", "--json"
    )
    assert compared.returncode == 0, compared.stderr
    body = json.loads(compared.stdout)
    assert body["match"] is True and 0 <= body["score"] <= 1
    differ = _run(engine, tmp_path, "identity", "compare", "Omar Khalid", "Yusuf Bilal", "--json")
    assert json.loads(differ.stdout)["match"] is False
    searched = _run(engine, tmp_path, "identity", "search", "Muhammad", "--dob", "1990", "--json")
    assert searched.returncode == 0, searched.stderr
    assert json.loads(searched.stdout)["candidates"] == []
    options = ("--mother", "Khadija", "--born-in", "Mosul")
    narrowed = _run(engine, tmp_path, "identity", "search", "Muhammad", *options)
    assert narrowed.returncode == 0, narrowed.stderr
    blank = _run(engine, tmp_path, "identity", "search", "Muhammad", "--mother", "  ")
    assert blank.returncode == 1
    assert "mother's name" in blank.stderr and "Traceback" not in blank.stderr
    bad = tmp_path / "bad.xml"
    bad.write_text("<OTHER/>", encoding="utf-8")
    failed = _run(engine, tmp_path, "watchlist", "import", "un-sc", str(bad))
    assert failed.returncode == 1
    assert "CONSOLIDATED_LIST" in failed.stderr and "Traceback" not in failed.stderr
