"""Places layer: name normalisation, lookups and resolution on hand-built gazetteers,
user dumps, and model-backed recognition on sentences written for these tests."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from fogwatch import gazetteer as gz
from fogwatch.errors import ResourceError
from fogwatch.gazetteer import Gazetteer, _Row, distance_km, normalise
from fogwatch.stages.places import PlaceMention, PlaceResolver


def row(name, lat, lon, country, feature="city", pop=100_000, gid=None, alts=(), admin1=None, curated=False):
    return _Row(gid, name, [name, *alts], lat, lon, country, feature, pop, admin1, curated)


@pytest.fixture()
def small() -> Gazetteer:
    gaz = Gazetteer()
    for r in (
        row("Tripoli", 32.89, 13.19, "LY", pop=1_300_000, gid=1),
        row("Tripoli", 34.43, 35.84, "LB", pop=230_000, gid=2),
        row("Benghazi", 32.12, 20.07, "LY", pop=650_000, gid=3),
        row("Beirut", 33.89, 35.49, "LB", pop=1_900_000, gid=4),
        row("Aleppo", 36.20, 37.16, "SY", pop=2_100_000, gid=5, alts=("Halab",)),
        row("Aleppo Governorate", 36.25, 37.5, "SY", "admin1", 4_800_000, curated=True),
        row("Ar Raqqah", 35.95, 39.01, "SY", pop=530_000, gid=6, alts=("Raqqa", "al-Raqqa")),
        row("Springfield", 39.80, -89.64, "US", pop=114_000, gid=7, admin1="IL"),
        row("Springfield", 37.22, -93.29, "US", pop=170_000, gid=8, admin1="MO"),
        row(
            "Illinois",
            40.0,
            -89.25,
            "US",
            "admin1",
            12_700_000,
            gid=9,
            admin1="IL",
            alts=("Ill.",),
            curated=True,
        ),
    ):
        gaz.add(r)
    return gaz


def mention(gaz, text, start=0, **extra) -> PlaceMention:
    return PlaceMention(
        start, start + len(text), text, normalise(text), "GPE", candidates=gaz.lookup(text), **extra
    )


def test_normalise_folds_accents_case_articles_and_spacing():
    assert normalise("Al-Raqqa") == normalise("al Raqqa") == normalise("RAQQA") == "raqqa"
    assert normalise("Deir ez-Zor") == normalise("Deir ez Zor") == normalise("Deir Ez-zor")
    assert normalise("Québec") == normalise("Quebec")
    assert normalise("U.S.") == normalise("US")
    assert normalise("the Gaza Strip") == normalise("Gaza Strip")
    assert normalise("Al") == "al"  # a lone article is a name, not an empty key


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u0301", "'" * 500, "a" * 100_000, "(((("])
def test_normalise_never_fails_on_odd_input(text):
    assert isinstance(normalise(text), str)


def test_lookup_uses_alternate_names_and_feature_filter(small):
    assert {c.geonameid for c in small.lookup("al-Raqqa")} == {6}
    assert [c.name for c in small.lookup("Aleppo", ("admin1",))] == ["Aleppo Governorate"]
    assert small.lookup("Nowhere") == []
    # The governorate is also found under its bare name, for "Aleppo province".
    assert {c.feature for c in small.lookup("Aleppo")} == {"city", "admin1"}


def test_plain_name_is_the_city_and_province_asks_for_the_division(small):
    resolver = PlaceResolver(small)
    (city,) = resolver.resolve([mention(small, "Aleppo")])
    assert city.feature == "city" and city.geonameid == 5
    wanted = mention(small, "Aleppo province", want=frozenset({"admin1", "region"}))
    wanted.key = normalise("Aleppo")
    wanted.candidates = small.lookup("Aleppo", ("admin1", "region"))
    (province,) = resolver.resolve([wanted])
    assert province.feature == "admin1" and province.name == "Aleppo Governorate"


def test_tripoli_follows_the_reports_country(small):
    resolver = PlaceResolver(small)
    libya = resolver.resolve([mention(small, "Benghazi"), mention(small, "Tripoli", 20)])
    lebanon = resolver.resolve([mention(small, "Beirut"), mention(small, "Tripoli", 20)])
    assert libya[1].country == "LY"
    assert lebanon[1].country == "LB"


def test_city_state_context_and_one_sense_per_report(small):
    resolver = PlaceResolver(small)
    first = mention(small, "Springfield", follows=small.lookup("Ill.", ("admin1", "country")))
    later = mention(small, "Springfield", 100)
    places = resolver.resolve([first, later])
    assert [p.geonameid for p in places] == [7, 7]


def test_unknown_names_stay_unresolved(small):
    (place,) = PlaceResolver(small).resolve([mention(small, "Atlantis")])
    assert not place.resolved and place.lat is None and place.name == "Atlantis"


def test_distance_km():
    assert distance_km(0, 0, 0, 0) == 0
    assert distance_km(36.2, 37.16, 35.98, 36.68) == pytest.approx(49, abs=3)  # Aleppo - Foua


# ---------------------------------------------------------------- user dumps

DUMP = [
    [
        "9000001",
        "Testville",
        "Testville",
        "Tstvl,Test Ville",
        "10.5",
        "20.25",
        "P",
        "PPL",
        "ZZ",
        "",
        "01",
        "",
        "",
        "",
        "1200",
        "",
        "5",
        "Etc/UTC",
        "2024-01-01",
    ],
    [
        "9000002",
        "Test Province",
        "Test Province",
        "",
        "10",
        "20",
        "A",
        "ADM1",
        "ZZ",
        "",
        "01",
        "",
        "",
        "",
        "0",
        "",
        "5",
        "Etc/UTC",
        "2024-01-01",
    ],
    [
        "9000003",
        "Test Hill",
        "Test Hill",
        "",
        "10",
        "20",
        "T",
        "HLL",
        "ZZ",
        "",
        "01",
        "",
        "",
        "",
        "0",
        "",
        "5",
        "Etc/UTC",
        "2024-01-01",
    ],
]


@pytest.fixture()
def home(tmp_path, monkeypatch, small):
    """A private FOGWATCH_HOME whose base gazetteer is the small hand-built one."""
    monkeypatch.setenv("FOGWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(gz, "_load_base", lambda: _copy(small))
    gz.load.cache_clear()
    yield tmp_path
    gz.load.cache_clear()


def _copy(gaz: Gazetteer) -> Gazetteer:
    import pickle

    return pickle.loads(pickle.dumps(gaz))


def _write_dump(path: Path) -> Path:
    path.write_text("".join("\t".join(cols) + "\n" for cols in DUMP), encoding="utf-8")
    return path


def test_add_geonames_txt_and_merge(home):
    summary = gz.add_geonames_file(_write_dump(home / "ZZ.txt"))
    assert summary["kind"] == "geonames" and summary["rows"] == 2  # the hill is not kept
    gaz = gz.load()
    (town,) = gaz.lookup("Test Ville")
    assert town.geonameid == 9000001 and town.feature == "village" and town.country == "ZZ"
    assert gaz.lookup("Test", ("admin1",))[0].geonameid == 9000002
    assert gaz.lookup("Aleppo")  # the base stays
    info = gz.gazetteer_info()
    assert info["sources"]["user"] == 2 and info["user_files"][0]["rows"] == 2


def test_add_geonames_zip_and_readding_replaces(home):
    txt = _write_dump(home / "ZZ.txt")
    archive = home / "ZZ.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(txt, "ZZ.txt")
        zf.writestr("readme.txt", "not a dump")
    assert gz.add_geonames_file(archive)["rows"] == 2
    gz.add_geonames_file(archive)
    assert len(gz.load().lookup("Testville")) == 1


def test_add_supplement_tsv(home):
    path = home / "mine.tsv"
    path.write_text(
        "# my villages\ngeonameid\tname\talternates\tlat\tlon\tcountry\tfeature\tpopulation\tadmin1\tsource\n"
        "\tKhirbet Test\tKhirbat Test\t31.5\t35.1\tPS\tvillage\t900\t\tmy field notes\n",
        encoding="utf-8",
    )
    assert gz.add_geonames_file(path)["kind"] == "supplement"
    (place,) = gz.load().lookup("Khirbat Test")
    assert place.curated and place.country == "PS"


@pytest.mark.parametrize("content", ["a\tb\tc\n", "x" * 30 + "\n"])
def test_bad_gazetteer_files_raise_E017(home, content):
    path = home / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        gz.add_geonames_file(path)
    assert err.value.code == "E017"


def test_missing_or_broken_zip_raises_E017(home):
    with pytest.raises(ResourceError):
        gz.add_geonames_file(home / "absent.zip")
    broken = home / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ResourceError):
        gz.add_geonames_file(broken)


def test_shipped_supplement_is_well_formed():
    rows = list(gz.supplement_rows(gz.SUPPLEMENT))
    assert len(rows) > 300
    for r in rows:
        assert -90 <= r.lat <= 90 and -180 <= r.lon <= 180 and r.feature
    features = {r.feature for r in rows}
    assert {"admin1", "village", "neighbourhood", "region"} <= features


# ---------------------------------------------------------------- model-backed


def places_of(read, text):
    report = read(text, published="2016-12-14")
    for p in report.places:
        assert report.text[p.start : p.end] == p.text
    return report.places


def by_text(places, text):
    found = [p for p in places if p.text == text]
    assert found, f"{text!r} not among {[p.text for p in places]}"
    return found[0]


def test_tripoli_in_libya_and_in_lebanon(read):
    libya = places_of(
        read, "Militias clashed in Tripoli on Monday, and fighting spread east towards Misrata and Benghazi."
    )
    lebanon = places_of(
        read, "Refugees crossed from Syria into Lebanon, and many settled in Tripoli, north of Beirut."
    )
    assert by_text(libya, "Tripoli").country == "LY"
    assert by_text(lebanon, "Tripoli").country == "LB"


def test_a_front_named_after_a_region_does_not_unmake_the_region(read):
    """The small model calls "the Tigray People's Liberation Front" a person; the region stays a place."""
    places = places_of(read, "The Tigray People's Liberation Front says Eritrean forces committed atrocities in Tigray.")
    assert [p.country for p in places if p.text == "Tigray"] == ["ET"]


def test_eastern_aleppo_and_northern_idlib_province(read):
    places = places_of(
        read,
        "Shelling continued in eastern Aleppo, while buses waited in northern Idlib province for the wounded.",
    )
    aleppo = by_text(places, "Aleppo")
    assert aleppo.qualifier == "eastern" and aleppo.feature == "city" and aleppo.country == "SY"
    idlib = by_text(places, "Idlib province")
    assert idlib.feature == "admin1" and idlib.qualifier == "northern"
    assert distance_km(idlib.lat, idlib.lon, 35.8, 36.6) < 50


def test_supplement_villages_are_found(read):
    places = places_of(
        read, "Rebels have besieged the villages of Foua and Kefraya since 2015, the monitor said."
    )
    for name, lat, lon in (("Foua", 35.98, 36.68), ("Kefraya", 35.99, 36.69)):
        place = by_text(places, name)
        assert place.resolved and distance_km(place.lat, place.lon, lat, lon) < 20


def test_national_adjective_is_its_country(read):
    places = places_of(read, "A Turkish official said the convoy had crossed into Syria.")
    assert by_text(places, "Turkish").name == "Turkey"


def test_common_words_and_people_are_not_places(read):
    places = places_of(read, "I met Tom Lincoln in March. Lincoln said on Thursday that May would be busy.")
    assert not {"I", "March", "Lincoln", "Thursday", "May"} & {p.text for p in places}


@pytest.mark.parametrize("text", ["", " ", "\u202e\u0301\U0001f600", "“unbalanced ‘quotes", "Aleppo " * 3000])
def test_hostile_input_does_not_crash(read, text):
    report = read(text)
    assert all(0 <= p.start <= p.end <= len(text) for p in report.places)


def test_seed_report_places(read, shared):
    text = (shared / "seeds" / "aleppo-ceasefire-2016-12-14.txt").read_text(encoding="utf-8")
    places = read(text, published="2016-12-14").places
    expected = {
        "Aleppo": (36.2, 37.16),
        "Foua": (35.98, 36.68),
        "Kefraya": (35.99, 36.69),
        "Idlib Governorate": (35.8, 36.6),
        "Syria": (35.0, 38.0),
    }
    for name, (lat, lon) in expected.items():
        hits = [p for p in places if p.name == name and p.resolved]
        assert hits, f"{name} not resolved in the seed report"
        assert distance_km(hits[0].lat, hits[0].lon, lat, lon) <= 161


def test_quarter_of_a_city(read):
    places = places_of(
        read,
        "Barrel bombs fell on the Sukkari district of Aleppo and on the Zahraa neighbourhood of Homs on Tuesday.",
    )
    sukkari = by_text(places, "Sukkari district")
    assert sukkari.feature == "neighbourhood" and distance_km(sukkari.lat, sukkari.lon, 36.2, 37.16) < 20
    zahraa = [p for p in places if p.text.startswith("Zahraa")]
    assert zahraa and zahraa[0].feature == "neighbourhood" and zahraa[0].country == "SY"


def test_arabic_article_names_and_bare_division_names(read):
    places = places_of(
        read, "Jets struck al-Bab on Sunday while allied forces advanced on Raqqa and Hodeidah."
    )
    assert by_text(places, "al-Bab").country == "SY"
    assert by_text(places, "Raqqa").feature == "city"
    assert by_text(places, "Hodeidah").feature == "city"


def test_adjective_tagged_as_place_is_its_country(read):
    places = places_of(read, "Ukrainian officials in Donetsk Oblast said Avdiivka was under fire.")
    assert by_text(places, "Ukrainian").name == "Ukraine"
    assert by_text(places, "Donetsk Oblast").feature == "admin1"


def test_county_frame_and_two_word_adjectives(read):
    places = places_of(
        read,
        "Deputies from the Laurel County Sheriff's Office searched a farm near London, Ky., "
        "and a Sri Lankan engineer was questioned.",
    )
    county = by_text(places, "Laurel County")
    assert county.feature == "admin2" and county.country == "US"
    assert by_text(places, "Sri Lankan").name == "Sri Lanka"


# ---------------------------------------------------------------- hierarchy and compatible()


def place(name, lat, lon, country, feature, admin1=None, gid=None):
    return {"name": name, "lat": lat, "lon": lon, "country": country, "feature": feature, "admin1": admin1,
            "geonameid": gid}


TOWN = place("Maarat Hamdan", 35.65, 36.68, "SY", "town", "12")
PROVINCE = place("Idlib Governorate", 35.8, 36.6, "SY", "admin1", "12")
OTHER_CITY = place("Aleppo", 36.2, 37.16, "SY", "city", "09")


def test_compatible_follows_the_hierarchy(small):
    assert gz.compatible(TOWN, PROVINCE, small) and gz.compatible(PROVINCE, TOWN, small)
    assert not gz.compatible(OTHER_CITY, PROVINCE, small)
    syria = place("Syria", 35.0, 38.0, "SY", "country")
    turkey = place("Turkey", 39.0, 35.0, "TR", "country")
    assert gz.compatible(syria, TOWN, small) and gz.compatible(OTHER_CITY, syria, small)
    assert not gz.compatible(turkey, TOWN, small)
    # Two towns of one province are two scenes unless they are close.
    far = place("Darkush", 35.99, 36.39, "SY", "town", "12")
    near = place("Maarat Hamdan East", 35.66, 36.7, "SY", "village", "12")
    assert not gz.compatible(TOWN, far, small)
    assert gz.compatible(TOWN, near, small)


def test_compatible_reads_names_regions_and_missing_places(small):
    assert gz.compatible(None, TOWN, small) and gz.compatible({"place": None}, TOWN, small)
    assert gz.compatible({"place": "Aleppo", "country": "SY", "lat": None, "lon": None}, OTHER_CITY, small)
    region = place("Upper Dale", 35.7, 36.6, "SY", "region")  # a named region with no division code
    assert gz.compatible(region, TOWN, small)
    assert not gz.compatible(region, place("Deir ez-Zor", 35.33, 40.14, "SY", "city", "07"), small)
    unresolved = {"name": "Qasr Nuwayr", "lat": None, "lon": None, "country": None, "feature": None}
    assert not gz.compatible(unresolved, TOWN, small)
    # An unresolved name the text put in a country is inside that country.
    placed = {"name": "Qasr Nuwayr", "lat": None, "lon": None, "country": "SY", "feature": None}
    assert gz.compatible(placed, place("Syria", 35.0, 38.0, "SY", "country"), small)


def test_compatible_takes_admin1_from_the_gazetteer_when_a_record_lacks_it(small):
    illinois = {"name": "Illinois", "country": "US", "feature": "admin1", "geonameid": 9,
                "lat": 40.0, "lon": -89.25}
    springfield_il = {"name": "Springfield", "geonameid": 7, "country": "US", "feature": "city",
                      "lat": 39.80, "lon": -89.64}
    springfield_mo = {"name": "Springfield", "geonameid": 8, "country": "US", "feature": "city",
                      "lat": 37.22, "lon": -93.29}
    assert gz.compatible(springfield_il, illinois, small)
    assert not gz.compatible(springfield_mo, illinois, small)
    assert small.by_geonameid(7).admin1 == "IL" and small.by_geonameid(12345) is None


def test_admin1_names_and_supplement_codes_are_shipped():
    names = gz._admin1_names()
    assert names[("SY", "12")] == "Idlib" and names[("UA", "05")] == "Donetsk"
    rows = list(gz.supplement_rows(gz.SUPPLEMENT))
    divisions = [r for r in rows if r.feature == "admin1" and r.country in ("SY", "YE", "UA", "IQ", "ET")]
    assert divisions and all(r.admin1 for r in divisions)
    for r in divisions:
        assert (r.country, r.admin1) in names, r.name


# ---------------------------------------------------------------- contexts that unmake a place


def test_a_clock_is_no_place(read):
    places = places_of(
        read, "The pause starts at 06:00 Kharkiv time and ends at midnight Odesa time zone, Sumy said."
    )
    texts = {p.text for p in places}
    assert "Kharkiv" not in texts and "Odesa" not in texts
    assert "Sumy" in texts


def test_organisation_heads_and_names_around_places(read):
    places = places_of(
        read,
        "Envoys of the African Union met in Khartoum, and the Hama Media Office said Kafr Zita was shelled.",
    )
    texts = {p.text for p in places}
    assert "Union" not in texts and "Khartoum" in texts
    hama = by_text(places, "Hama")
    assert hama.in_name == "Hama Media Office"
    assert by_text(places, "Khartoum").in_name is None


def test_people_operations_and_compass_words_are_no_places(read):
    places = places_of(
        read,
        'A fighter nicknamed "Donetsk" was captured near Mariupol. Governments in the West condemned '
        "Operation Spring Lightning, which began in Horlivka.",
    )
    texts = {p.text for p in places}
    assert not {"Donetsk", "West", "Spring"} & texts
    assert {"Mariupol", "Horlivka"} <= texts


def test_formal_state_name_is_its_country(read):
    places = places_of(read, "Officials of the Republic of Moldova met their counterparts in Chisinau.")
    moldova = [p for p in places if "Moldova" in p.text]
    assert moldova and moldova[0].feature == "country" and moldova[0].country == "MD"


# ---------------------------------------------------------------- frames and the hierarchy on places


def test_settlement_frames_read_small_places_and_their_country(read):
    places = places_of(
        read,
        "Artillery hit the villages of Zorvaqin, Beit Qalmun and al-Hurfash on Monday. "
        "Two people died in the town of Zorvaqin in southern Lebanon, the army said.",
    )
    texts = [p.text for p in places]
    assert {"Zorvaqin", "Beit Qalmun", "al-Hurfash"} <= set(texts)
    framed = [p for p in places if p.text == "Zorvaqin"]
    assert all(not p.resolved for p in framed)
    assert any(p.country == "LB" for p in framed)


def test_a_framed_village_does_not_borrow_a_namesake_abroad(read):
    places = places_of(read, "Drones struck the village of Bara in the north of Syria on Sunday.")
    bara = by_text(places, "Bara")
    assert bara.country == "SY" and not bara.resolved


def test_places_carry_admin1_and_a_province_holds_its_towns(read):
    places = places_of(
        read, "Jets struck Saraqib and Maarrat Misrin in Idlib province, then Hudaida province."
    )
    saraqib, idlib = by_text(places, "Saraqib"), by_text(places, "Idlib province")
    assert saraqib.admin1 == idlib.admin1 == "12" and idlib.admin1_name == "Idlib"
    assert gz.compatible(saraqib, idlib)
    hudaida = by_text(places, "Hudaida province")
    assert hudaida.country == "YE" and hudaida.admin1 == "08"


def test_the_sea_is_not_the_division_named_after_it(read):
    places = places_of(read, "Tankers waited in the Red Sea while talks went on in Sanaa.")
    sea = by_text(places, "Red Sea")
    assert sea.feature == "region" and sea.country is None


def test_countries_by_their_current_and_short_names():
    from fogwatch.gazetteer import load

    gaz = load()
    for name, iso2 in (("Türkiye", "TR"), ("Turkiye", "TR"), ("Democratic Republic of Congo", "CD"),
                       ("Republic of Congo", "CG")):
        assert any(c.feature == "country" and c.country == iso2 for c in gaz.lookup(name)), name


def test_a_name_alone_after_a_sentence_s_opening_in_is_a_place(read):
    places = places_of(read, "Strikes hit the south on Monday. In Majdal Zoun, four people were killed in a strike.")
    assert by_text(places, "Majdal Zoun").resolved is False


@pytest.mark.parametrize("text", ["In Brief, the talks failed.", "In December, the army withdrew.",
                                  "In Hezbollah, officials said the talks failed."])
def test_a_word_a_month_or_an_actor_after_an_opening_in_is_no_place(read, text):
    places = places_of(read, text)
    assert not [p for p in places if p.text in ("Brief", "December", "Hezbollah")]


def test_the_base_cache_is_keyed_on_its_sources_contents_not_their_times(tmp_path, monkeypatch):
    """A fresh clone (new file times, same files) reuses the pickle; an edited source does not."""
    copy = tmp_path / "gazetteer_supplement.tsv"
    copy.write_bytes(gz.SUPPLEMENT.read_bytes())
    monkeypatch.setattr(gz, "SUPPLEMENT", copy)
    before = gz._cache_path()
    os.utime(copy, (1, 1))
    assert gz._cache_path() == before
    copy.write_bytes(copy.read_bytes() + b"\n")
    assert gz._cache_path() != before
