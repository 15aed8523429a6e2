"""The actor dictionary (no model needed) and the actors stage (model-backed, own sentences)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fogwatch.actordict import (
    KINDS,
    actor_at,
    add_mention,
    load_dictionary,
    lookup,
    tokenize,
)
from fogwatch.errors import ResourceError
from fogwatch.report import Actor, Report, Span


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep user dictionaries of the machine out of the tests."""
    monkeypatch.setenv("FOGWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FOGWATCH_ACTORS", raising=False)


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def entry(text: str) -> tuple[str, str, str | None] | None:
    found = lookup(text)
    return (found.name, found.kind, found.country) if found else None


# -- the bundled dictionary -------------------------------------------------------------


def test_bundled_dictionary_covers_every_state_with_codes_and_adjectives():
    d = load_dictionary()
    assert len(d.countries) >= 193
    for iso3 in (
        "SYR",
        "RUS",
        "TUR",
        "IRN",
        "YEM",
        "LBY",
        "UKR",
        "ISR",
        "SDN",
        "ETH",
        "MLI",
        "COD",
        "MMR",
        "AFG",
        "SOM",
    ):
        assert d.countries[iso3].adjectives, iso3
    assert all(e.kind in KINDS for e in d.entries.values())
    assert all(e.country is None or e.country in d.countries for e in d.entries.values())


def test_bundled_dictionary_references_resolve():
    d = load_dictionary()
    for e in d.entries.values():
        if e.affiliation:
            assert d.entry(e.affiliation) is not None, e.id
        if e.forces:
            assert d.entry(e.forces) is not None, e.id
        for patron in e.patrons:
            assert patron in d.countries, e.id


def test_dictionary_is_cached_per_process():
    assert load_dictionary() is load_dictionary()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("U.N.", ("United Nations", "igo", None)),
        ("UN", ("United Nations", "igo", None)),
        ("United Nations", ("United Nations", "igo", None)),
        ("Turkey", ("Turkey", "state", "TUR")),
        ("White Helmets", ("Syrian Civil Defense", "ngo", "SYR")),
        ("Hezbollah", ("Hezbollah", "militia", "LBN")),
        ("Recep Tayyip Erdogan", ("Recep Tayyip Erdoğan", "person", "TUR")),
        ("Mevlüt Çavuşoğlu", ("Mevlüt Çavuşoğlu", "person", "TUR")),
        ("the Kremlin", ("Russian government", "government", "RUS")),
        ("IDF", ("Israel Defense Forces", "military", "ISR")),
        ("SANA", ("SANA", "media", "SYR")),
    ],
)
def test_alias_lookup(text, expected):
    assert entry(text) == expected


@pytest.mark.parametrize("text", ["un", "turkey", "who", "us", "", "   ", "the", "Syrian"])
def test_lookup_is_case_aware_and_rejects_non_actors(text):
    assert lookup(text) is None


def test_hezbollah_patron():
    assert lookup("Hezbollah").patrons == ("IRN",)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Assad's army", ("Syrian government forces", "military", "SYR")),
        ("Assad’s forces", ("Syrian government forces", "military", "SYR")),
        ("Assad's allied forces", ("Syrian government forces", "military", "SYR")),
        ("pro-Assad forces", ("Syrian government forces", "military", "SYR")),
        ("Syrian government troops", ("Syrian government forces", "military", "SYR")),
        ("Russia's troops", ("Russian Armed Forces", "military", "RUS")),
        ("Iran-backed militias", ("Iran-backed militias", "militia", "IRN")),
        ("Russian-backed separatists", ("Russia-backed rebels", "rebels", "RUS")),
        ("pro-Kremlin militias", ("Russia-backed militias", "militia", "RUS")),
        ("US-led coalition", ("United States-led coalition", "military", "USA")),
        ("Turkish state media", ("Turkish state media", "media", "TUR")),
        ("Afghan security forces", ("Afghan security forces", "police", "AFG")),
        ("Nigerian police", ("Nigerian police", "police", "NGA")),
        ("Sudanese officials", ("Sudanese government", "government", "SDN")),
        ("Yemeni civilians", ("Yemeni civilians", "civilians", "YEM")),
        ("Assad regime", ("Syrian government", "government", "SYR")),
        ("Haftar's forces", ("Libyan National Army", "military", "LBY")),
    ],
)
def test_description_rules(text, expected):
    assert entry(text) == expected


@pytest.mark.parametrize(
    "text, kind",
    [
        ("rebels", "rebels"),
        ("rebel groups", "rebels"),
        ("armed groups", "rebels"),
        ("opposition fighters", "rebels"),
        ("pro-government forces", "military"),
        ("regime forces", "military"),
        ("unknown gunmen", "other"),
        ("residents", "civilians"),
        ("civilians", "civilians"),
        ("activists", "civilians"),
        ("state media", "media"),
        ("a source close to the government", "government"),
        ("security forces", "police"),
    ],
)
def test_descriptions_without_context_leave_the_country_open(text, kind):
    found = lookup(text)
    assert found is not None and found.kind == kind and found.country is None


def test_an_adjective_militia_becomes_foreign_backed_in_another_theatre():
    d = load_dictionary()
    hits = d.scan(tokenize("an Iranian militia"))
    assert d.resolve(hits[0], context="SYR").name == "Iran-backed militias"
    assert d.resolve(hits[0], context="IRN").name == "Iranian militias"
    assert d.resolve(d.scan(tokenize("rebels"))[0], context="YEM").name == "Yemeni rebels"


def test_coordinated_adjectives_share_the_role_noun():
    d = load_dictionary()
    hits = d.scan(tokenize("US, British and French warplanes struck"))
    assert [(d.resolve(h).kind, d.resolve(h).country) for h in hits] == [
        ("military", "USA"),
        ("military", "GBR"),
        ("military", "FRA"),
    ]
    assert [d.resolve(h).country for h in d.scan(tokenize("the US and Russia"))] == ["USA", "RUS"]


def test_a_person_before_a_verb_phrase_is_not_a_possessive():
    d = load_dictionary()
    names = [d.resolve(h).name for h in d.scan(tokenize("Bashar Assad accused the government of lying"))]
    assert names == ["Bashar al-Assad", "Syrian government"] or names[0] == "Bashar al-Assad"
    hits = d.scan(tokenize("Bashar Assad accused the government"))
    assert hits and all(h.j - h.i <= 3 for h in hits)


def test_the_plural_demonym_is_the_state_otherwise_its_people():
    assert entry("the Russians") == ("Russia", "state", "RUS")
    assert entry("Syrians") == ("Syrian civilians", "civilians", "SYR")


def test_hyphenated_modifiers_are_not_actors():
    d = load_dictionary()
    assert d.scan(tokenize("UK-based monitor")) == [] or lookup("UK-based") is None
    assert lookup("government-held") is None


def test_person_role_follows_the_publication_year():
    erdogan = lookup("Erdogan")
    assert erdogan.role_in(2012) == "Prime Minister"
    assert erdogan.role_in(2016) == "President"
    assert erdogan.role_in(1990) is None
    assert erdogan.role_in(None) == "President"


# -- user files ---------------------------------------------------------------------------


def test_user_file_merges_over_the_bundled_one(tmp_path: Path):
    extra = write(
        tmp_path / "mine.json",
        {
            "actors": [
                {
                    "id": "north-brigade",
                    "name": "North Brigade",
                    "aliases": ["Liwa al-Shamal"],
                    "kind": "militia",
                    "country": "SYR",
                    "patrons": ["TUR"],
                },
                {"id": "reuters", "aliases": ["Thomson Reuters"]},
            ],
            "countries": [{"iso3": "SYR", "aliases": ["Sham"]}],
        },
    )
    d = load_dictionary([extra])
    assert lookup("Liwa al-Shamal", d).name == "North Brigade"
    assert lookup("Thomson Reuters", d).id == "reuters"
    assert lookup("Reuters", d).kind == "media"  # bundled fields survive
    assert lookup("Sham", d).country == "SYR"
    assert lookup("Liwa al-Shamal") is None  # the default dictionary is unchanged


def test_env_variable_and_user_folder_are_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from fogwatch.paths import user_data_dir

    write(
        user_data_dir("actors") / "folder.json",
        {"actors": [{"id": "a", "name": "Alpha Front", "kind": "rebels"}]},
    )
    env_file = write(
        tmp_path / "env.json", {"actors": [{"id": "b", "name": "Beta Legion", "kind": "militia"}]}
    )
    monkeypatch.setenv("FOGWATCH_ACTORS", str(env_file))
    d = load_dictionary()
    assert lookup("Alpha Front", d).kind == "rebels"
    assert lookup("Beta Legion", d).kind == "militia"


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "not valid JSON"),
        ("[]", "top level"),
        (json.dumps({"actors": [{"id": "x", "name": "X", "kind": "warlord"}]}), "kind"),
        (
            json.dumps({"actors": [{"id": "x", "name": "X", "kind": "militia", "country": "Syria"}]}),
            "alpha-3",
        ),
        (json.dumps({"actors": [{"id": "x", "kind": "militia"}]}), "needs a 'name'"),
        (json.dumps({"actors": [{"name": "X", "kind": "militia"}]}), "'id'"),
        (json.dumps({"actors": [{"id": "x", "name": "X", "kind": "militia", "aliases": "X1"}]}), "list"),
        (json.dumps({"countries": [{"iso3": "sy", "name": "S"}]}), "iso3"),
        (json.dumps({"people": []}), "unknown section"),
        (json.dumps({"descriptions": [{"group": "nowhere", "phrases": ["x"]}]}), "not defined"),
    ],
)
def test_invalid_user_file_raises_e016(tmp_path: Path, content: str, reason: str):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        load_dictionary([bad])
    assert err.value.code == "E016"
    assert str(bad) in str(err.value) and reason in str(err.value)


def test_missing_user_file_raises_e016(tmp_path: Path):
    with pytest.raises(ResourceError) as err:
        load_dictionary([tmp_path / "absent.json"])
    assert err.value.code == "E016"


# -- helpers for other stages ----------------------------------------------------------------


def _report() -> Report:
    text = "Syrian government troops shelled the town, the U.N. said."
    report = Report(text=text)
    report.actors = [
        Actor("Syrian government forces", "military", "SYR", actor_id="SYR-military", mentions=[Span(0, 24)]),
        Actor("Syria", "state", "SYR", actor_id="SYR", mentions=[Span(0, 6)]),
        Actor("United Nations", "igo", None, actor_id="united-nations", mentions=[Span(47, 51)]),
    ]
    return report


def test_actor_at_prefers_the_tightest_mention():
    report = _report()
    assert actor_at(report, 0, 6).name == "Syria"
    assert actor_at(report, 0, 24).name == "Syrian government forces"
    assert actor_at(report, 7, 17).name == "Syrian government forces"
    assert actor_at(report, 43, 56).name == "United Nations"
    assert actor_at(report, 30, 35) is None


def test_add_mention_extends_or_creates():
    report = _report()
    add_mention(report, "United Nations", 0, 2)
    assert report.actors[2].mentions[0] == Span(0, 2)
    created = add_mention(report, "Hezbollah", 10, 19)
    assert created.kind == "militia" and created.country == "LBN" and created in report.actors
    unknown = add_mention(report, "the night watchmen", 1, 3)
    assert unknown.kind == "other"
    assert add_mention(report, "the night watchmen", 1, 3).mentions == [Span(1, 3)]


# -- bad input never crashes or hangs --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u202e\ufeff",
        "“unbalanced quote",
        "'s 's 's",
        "pro-",
        "pro - - -",
        "-backed",
        "Assad's",
        "\x00\x01",
        "ÉTAT ISLAMIQUE",
        "🙂 rebels 🙂",
    ],
)
def test_lookup_survives_odd_input(text):
    lookup(text)


def test_scan_is_linear_on_huge_input():
    d = load_dictionary()
    toks = tokenize("Syrian government troops and pro-Assad forces met rebels near Aleppo. " * 5000)
    started = time.perf_counter()
    hits = d.scan(toks)
    assert len(hits) == 15000
    assert time.perf_counter() - started < 10


# -- the stage, on sentences written for these tests ----------------------------------------


def actors_of(read, text: str, published: str = "2016-12-14") -> dict[str, Actor]:
    return {a.name: a for a in read(text, published=published).actors}


def spans(actor: Actor, text: str) -> list[str]:
    return [text[m.start : m.end] for m in actor.mentions]


def test_stage_titles_roles_and_countries(read):
    text = "Kenya's Foreign Minister Amina Wanjiru said on Monday that talks would continue."
    person = actors_of(read, text)["Amina Wanjiru"]
    assert (person.kind, person.role, person.country, person.sector) == (
        "person",
        "Foreign Minister",
        "KEN",
        "GOV",
    )


def test_stage_country_adjective_title_and_counterpart(read):
    text = "Malian President Ousmane Keita met his Nigerien counterpart Moussa Dan Kano in Niamey."
    found = actors_of(read, text)
    assert found["Ousmane Keita"].role == "President" and found["Ousmane Keita"].country == "MLI"
    assert found["Moussa Dan Kano"].country == "NER" and found["Moussa Dan Kano"].role is None
    assert "Nigerien" not in found


def test_stage_organisation_title_sets_role_and_affiliation(read):
    text = "UN Special Rapporteur on Torture Maria Lopez said the detainees had been beaten."
    person = actors_of(read, text)["Maria Lopez"]
    assert person.role == "UN Special Rapporteur on Torture"
    assert person.affiliation == "United Nations" and person.country is None


def test_stage_apposition_role_and_surname_link(read):
    text = "The strike was filmed by Karim Haddad, a local photographer in the town, before Haddad fled."
    person = actors_of(read, text)["Karim Haddad"]
    assert person.role == "local photographer"
    assert spans(person, text) == ["Karim Haddad", "Haddad"]


def test_stage_dictionary_person_with_title_and_possessive_forces(read):
    text = (
        "Syrian President Bashar Assad's army advanced on Tuesday. "
        "Pro-government forces and an Iranian militia "
        "entered the district, and rebels withdrew from Aleppo and Homs, residents of Aleppo said."
    )
    found = actors_of(read, text)
    assert found["Bashar al-Assad"].role == "President" and found["Bashar al-Assad"].country == "SYR"
    forces = found["Syrian government forces"]
    assert spans(forces, text) == ["Bashar Assad's army", "Pro-government forces"]
    assert found["Iran-backed militias"].country == "IRN"
    assert found["Syrian rebels"].kind == "rebels"
    assert found["Syrian civilians"].kind == "civilians"


def test_stage_name_cut_short_by_the_model_is_extended(read):
    text = "Colonel Wali Tefera Dinku denied the report."
    person = actors_of(read, text)["Wali Tefera Dinku"]
    assert (person.role, person.sector) == ("Colonel", "MIL")


def test_stage_two_titled_persons_keep_their_own_titles(read):
    text = "Interior Minister Tarek Bou Saleh and Defence Minister Ghassan Moukarzel visited the port."
    found = actors_of(read, text)
    assert found["Tarek Bou Saleh"].role == "Interior Minister"
    assert found["Ghassan Moukarzel"].role == "Defence Minister"


def test_stage_titled_person_whatever_the_entity_label(read):
    text = (
        "Manitoba Premier Brian Pallister said the province would help. "
        "The Pope prayed. The CIA said it knew."
    )
    found = actors_of(read, text)
    assert found["Brian Pallister"].role == "Premier"
    assert "Pope" not in found
    assert (found["CIA"].country, found["CIA"].sector) == ("USA", "SPY")


def test_stage_apposition_with_an_organisation(read):
    text = "Leila Haddad, a spokeswoman for Amnesty International, said the camp was full."
    person = actors_of(read, text)["Leila Haddad"]
    assert person.role == "spokeswoman" and person.affiliation == "Amnesty International"


def test_stage_big_city_tagged_person_is_not_a_person(read):
    text = "Mosul was quiet on Friday, while Baghdad waited for news."
    assert not [a for a in read(text).actors if a.kind == "person"]


def test_stage_honorifics_and_first_names_join_the_full_name(read):
    text = "Maria Okafor won the vote. Mrs Okafor thanked her staff, and Maria said she would serve."
    person = actors_of(read, text)["Maria Okafor"]
    assert spans(person, text) == ["Maria Okafor", "Okafor", "Maria"]


def test_stage_line_breaks_inside_a_phrase(read):
    text = "The statement was read on\n    Syrian\n    state media on Friday."
    media = actors_of(read, text)["Syrian state media"]
    assert spans(media, text) == ["Syrian\n    state media"]


def test_stage_rebel_descriptions_are_one_actor_of_the_theatre(read):
    text = (
        "Shelling hit Idlib and Aleppo on Monday. Opposition fighters said rebel groups had pulled back, "
        "and unknown gunmen later attacked a checkpoint, activists said."
    )
    found = actors_of(read, text)
    rebels = found["Syrian rebels"]
    assert (rebels.kind, rebels.country) == ("rebels", "SYR")
    assert spans(rebels, text) == ["Opposition fighters", "rebel groups"]
    assert found["unidentified gunmen"].country is None
    assert found["activists"].country == "SYR"


def test_stage_un_spellings_are_one_actor(read):
    text = "The U.N. warned of a famine. UN officials said the United Nations would send food."
    un = actors_of(read, text)["United Nations"]
    assert spans(un, text) == ["U.N.", "UN", "United Nations"]


def test_stage_countries_act_as_states_and_capitals_only_when_acting(read):
    text = (
        "Turkey cited new demands, while Moscow said the talks had failed. "
        "Officials in Ankara declined to comment."
    )
    found = actors_of(read, text)
    assert spans(found["Turkey"], text) == ["Turkey"]
    assert spans(found["Russia"], text) == ["Moscow"]


def test_stage_state_media_takes_its_country(read):
    text = "Turkish state media reported that hundreds of people were held at a checkpoint."
    media = actors_of(read, text)["Turkish state media"]
    assert (media.kind, media.country) == ("media", "TUR")


def test_stage_unknown_organisation_kind_from_its_head(read):
    text = "The Free Idlib Army said it had shot down a helicopter, and the health ministry counted the dead."
    kinds = {a.name: a.kind for a in read(text, published="2016-12-14").actors}
    assert kinds.get("Free Idlib Army") == "military"


def test_stage_survives_odd_text(read):
    for text in ["", " ", "\u202e\u200b", "“Assad's", "rebels " * 3000, "Ü" * 50_000]:
        report = read(text, published="2016-12-14")
        assert isinstance(report.actors, list)


def test_seed_report_required_actors(read, shared):
    """The seed report's required gold actors are found with kind and country (gold from ../shared)."""
    from fogwatch.actordict import norm

    seed = shared / "seeds" / "aleppo-ceasefire-2016-12-14.txt"
    gold = json.loads((shared / "gold" / "aleppo-ceasefire-2016-12-14.gold.json").read_text(encoding="utf-8"))
    text = seed.read_text(encoding="utf-8")
    report = read(text, published="2016-12-14")
    for g in (g for g in gold["actors"] if g.get("required")):
        names = {norm(n) for n in [g["name"], *g.get("aliases", [])]}
        found = [
            a
            for a in report.actors
            if names & ({norm(a.name)} | {norm(text[m.start : m.end]) for m in a.mentions})
        ]
        assert found, g["name"]
        assert found[0].kind == g["kind"], g["name"]
        if "country" in g:
            assert found[0].country == g["country"], g["name"]


def test_pro_government_fighters_are_on_the_governments_side() -> None:
    from fogwatch.actordict import lookup
    from fogwatch.views import side_of
    entry = lookup("pro-government fighters")
    assert entry is not None and entry.kind == "militia"
    assert side_of("pro-government fighters") == "government"
    assert side_of("opposition fighters") == "opposition"


def test_a_definite_description_of_an_armed_group_refers_back_to_the_one_named(read):
    text = ("The army accused the Rapid Support Forces of violating the truce in El Fasher, "
            "saying the paramilitaries shelled a camp.")
    found = actors_of(read, text, published="2025-05-14")
    assert spans(found["Rapid Support Forces"], text) == ["Rapid Support Forces", "paramilitaries"]
    two = ("Hezbollah and Amal Movement fighters gathered near the border. The militias left at dawn, "
           "residents in Lebanon said.")
    found = actors_of(read, two, published="2025-05-14")
    assert "militias" not in spans(found["Hezbollah"], two)  # two groups named: "the militias" stays open


def test_the_sanaa_government_is_the_houthis_not_yemens_recognised_government():
    # Sanaa has been held by the Houthis since 2014; Yemen's recognised government sits elsewhere.
    assert lookup("the Sanaa government").name == "Houthis"
    assert lookup("Sanaa").kind == "state"  # the capital alone still speaks for the state ("Sanaa said")


@pytest.mark.parametrize(("text", "expected"), [
    ("the government of the Democratic Republic of Congo", ("Congolese government", "COD")),
    ("the army of Sudan", ("Sudanese Armed Forces", "SDN")),
])
def test_a_states_organ_named_after_it(text, expected):
    entry = lookup(text)
    assert entry is not None and (entry.name, entry.country) == expected


@pytest.mark.parametrize(("phrase", "name"), [
    ("Moscow’s forces had struck Kherson", "Russian Armed Forces"),
    ("Kyiv's troops shelled the town", "Armed Forces of Ukraine"),
    ("Damascus's army pushed north", "Syrian government forces"),
])
def test_a_capital_s_forces_are_its_state_s(phrase: str, name: str) -> None:
    """A capital stands for its state before a possessive, as a state's name does ("Russia's forces")."""
    d = load_dictionary()
    assert [d.resolve(h).name for h in d.scan(tokenize(phrase))][:1] == [name]



@pytest.mark.parametrize(("phrase", "name"), [
    ("officials in Kyiv said", "Ukrainian government"),
    ("authorities in Khartoum said", "Sudanese government"),
])
def test_a_government_named_by_its_seat_is_its_state_s(phrase: str, name: str) -> None:
    d = load_dictionary()
    assert [d.resolve(h).name for h in d.scan(tokenize(phrase))][:1] == [name]


def test_troops_in_a_country_are_not_that_country_s_organ() -> None:
    d = load_dictionary()
    assert "Ukrainian government" not in [d.resolve(h).name for h in d.scan(tokenize("troops in Ukraine"))]
