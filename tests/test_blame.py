"""The blame matrix by side, with drill-down, and its place and date filters (hand-built readings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ledger import IDLIB, add, place

from fogwatch import views
from fogwatch.report import Claim, Cue, Named, Place, Report, SourceRef, Span
from fogwatch.store import Store

ALEPPO = dict(name="Aleppo", lat=36.20, lon=37.16, geonameid=170063, country="SY", feature="city")


def blame_report(outlet: str, published: str, where: dict, blames: list[tuple[str, str]]) -> Report:
    """One sentence per (source, target): 'SOURCE blamed TARGET in PLACE.'"""
    text, claims, places = "", [], []
    for source, target in blames:
        start = len(text)
        sentence = f"{source} blamed {target} in {where['name']}. "
        cue = start + len(source) + 1
        claims.append(Claim(start, start + len(sentence) - 2, False, SourceRef(source, start, start + len(source)),
                            Cue(cue, cue + 6, "blamed"), Span(cue + 7, start + len(sentence) - 2), "blame",
                            [Named(target)]))
        places.append(place(start + sentence.index(where["name"]), where))
        text += sentence
    return Report(text=text, outlet=outlet, published=published, claims=claims, places=places)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "b.db") as opened:
        add(opened,
            blame_report("Agency", "2016-12-14", ALEPPO, [("Russia", "rebels"), ("Sergei Lavrov", "rebels"),
                                                          ("Russian forces", "rebels")]),
            blame_report("Daily", "2019-05-08", IDLIB, [("Turkey", "Syrian government forces"),
                                                        ("Mevlut Cavusoglu", "the Syrian government")]))
        yield opened


def cells(matrix: dict) -> dict[tuple[str, str], int]:
    return {(c["source"], c["target"]): c["count"] for c in matrix["cells"]}


def test_people_and_forces_roll_up_to_their_state_with_the_names_kept(store: Store) -> None:
    matrix = views.blame_matrix(store)
    assert cells(matrix) == {("Russia", "rebels"): 3, ("Turkey", "Syrian government forces"): 2}
    russia = next(c for c in matrix["cells"] if c["source"] == "Russia")
    assert {m["source"] for m in russia["members"]} == {"Russia", "Sergei Lavrov", "Russian forces"}
    assert {c["source"] for c in russia["claims"]} == {"Russia", "Sergei Lavrov", "Russian forces"}
    sides = {s["key"]: s for s in matrix["sides"]}
    assert sides["TUR"]["members"] == ["Mevlut Cavusoglu", "Turkey"]


def test_place_and_dates_filter_the_matrix(store: Store) -> None:
    everything = views.blame_matrix(store)
    assert cells(views.blame_matrix(store, place="Idlib")) == {("Turkey", "Syrian government forces"): 2}
    assert cells(views.blame_matrix(store, place="idlib governorate")) == {("Turkey", "Syrian government forces"): 2}
    assert views.blame_matrix(store, place="Idlib") != everything
    assert cells(views.blame_matrix(store, place="Kyiv")) == {}
    assert cells(views.blame_matrix(store, date_from="2019")) == {("Turkey", "Syrian government forces"): 2}
    assert cells(views.blame_matrix(store, date_to="2016-12")) == {("Russia", "rebels"): 3}
    assert cells(views.blame_matrix(store, date_from="2016-12-15", date_to="2019-05-07")) == {}


def test_an_army_of_no_named_state_is_not_every_army(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        add(store, blame_report("Agency", "2020-01-01", IDLIB, [("Turkey", "the army"), ("Russia", "government forces")]))
        assert set(cells(views.blame_matrix(store))) == {("Turkey", "the army"), ("Russia", "government forces")}


def test_a_report_that_names_a_place_in_passing_is_not_about_it(tmp_path: Path) -> None:
    report = blame_report("Agency", "2016-12-14", ALEPPO, [("Russia", "rebels"), ("Russia", "rebels")])
    report.text += "Buses left for Idlib."
    at = report.text.index("Idlib")
    report.places.append(Place(start=at, end=at + 5, text="Idlib", **IDLIB))
    with Store(tmp_path / "p.db") as store:
        add(store, report)
        assert cells(views.blame_matrix(store, place="Idlib")) == {}
        assert cells(views.blame_matrix(store, place="Aleppo")) == {("Russia", "rebels"): 2}


def test_api_and_cli_honour_the_filters(store: Store) -> None:
    from click.testing import CliRunner
    from fastapi.testclient import TestClient

    from fogwatch.cli import cli
    from fogwatch.web import create_app

    db = str(store.path)
    client = TestClient(create_app(db))
    everything = client.get("/api/blame").json()
    idlib = client.get("/api/blame", params={"place": "Idlib"}).json()
    assert idlib != everything and cells(idlib) == {("Turkey", "Syrian government forces"): 2}
    assert idlib["filters"]["place"] == "Idlib"
    assert cells(client.get("/api/blame?date_to=2016").json()) == {("Russia", "rebels"): 3}
    assert client.get("/api/blame?place=!!!").status_code == 422
    assert client.get("/api/blame?date_from=2016-02-30").status_code == 422
    csv_rows = client.get("/api/blame?format=csv&place=Aleppo").text.splitlines()
    assert csv_rows[0].startswith("source,target,count") and len(csv_rows) == 2 and "Sergei Lavrov" in csv_rows[1]
    assert "Turkey" not in client.get("/blame?place=Aleppo").text
    shown = CliRunner().invoke(cli, ["blame", "--place", "Idlib", "--db", db])
    assert shown.exit_code == 0 and "Turkey → Syrian government forces: 2" in shown.stdout and "Russia" not in shown.stdout
    assert "Mevlut Cavusoglu → the Syrian government (1)" in shown.stdout
    dated = CliRunner().invoke(cli, ["blame", "--from", "2019-01-01", "--to", "2019-12-31", "--db", db, "--json"])
    assert "Russia" not in dated.stdout and "Turkey" in dated.stdout


def test_the_matrix_page_has_its_filters_and_drills_down_with_them(store: Store) -> None:
    """The page's form holds place and dates; a filtered cell opens the same claims it counts, with the
    names behind the side (a minister, forces) shown in the drill-down."""
    import re

    from fastapi.testclient import TestClient

    from fogwatch.web import create_app

    client = TestClient(create_app(str(store.path)))
    page = client.get("/blame", params={"place": "Aleppo", "date_to": "2016-12"}).text
    for name, value in (("place", "Aleppo"), ("date_from", ""), ("date_to", "2016-12")):
        assert re.search(rf'<input name="{name}" value="{value}"', page), name
    link = re.search(r'href="(/blame/cell\?[^"]+)"', page)[1].replace("&amp;", "&")
    assert "place=Aleppo" in link and "date_to=2016-12" in link
    cell = client.get(link).text
    assert "3 claims" in cell
    for name in ("Sergei Lavrov", "Russian forces"):
        assert name in cell
    assert 'href="/blame?place=Aleppo&amp;date_to=2016-12"' in cell  # back to the same matrix
    # Unfiltered, Turkey's cell holds the minister's claim under Turkey, and says whose words they are.
    turkey = client.get("/blame/cell", params={"source": "Turkey", "target": "Syrian government forces"}).text
    assert "Mevlut Cavusoglu" in turkey and "2 claims" in turkey


def test_an_official_the_dictionary_does_not_know_counts_under_the_state_the_report_names(tmp_path: Path) -> None:
    """'Karvia's deputy prime minister Ana Petrova' is read as a Karvian official: her blame is Karvia's."""
    from fogwatch.report import Actor

    report = blame_report("Agency", "2022-03-16", ALEPPO, [("Ukraine", "Russia"), ("Ana Petrova", "Russian forces")])
    report.actors = [Actor("Ana Petrova", "person", country="UKR", role="deputy prime minister", sector="GOV")]
    with Store(tmp_path / "o.db") as opened:
        add(opened, report)
        cells = views.blame_matrix(opened)["cells"]
    assert [(c["source_key"], c["target_key"], c["count"]) for c in cells] == [("UKR", "RUS", 2)]
