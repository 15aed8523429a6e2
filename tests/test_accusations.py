"""Accusations and their targets: reported attacks and breaches, traded blame, denials, quoted words.

Every sentence here is written for these tests (invented places and people where
names matter); no evaluation text is copied.
"""

from __future__ import annotations

import pytest

from fogwatch.report import Claim, Report

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def claims_of():
    from fogwatch.pipeline import Pipeline

    pipeline = Pipeline.from_names(("chrome", "parse", "actors", "places", "claims"))

    def run(text: str) -> list[Claim]:
        return pipeline(Report(text=text, published="2022-05-10")).claims

    return run


def cued(claims: list[Claim], word: str) -> list[Claim]:
    found = [c for c in claims if word in c.cue.text]
    assert found, f"no claim with cue {word!r}: {[c.cue.text for c in claims]}"
    return found


def targets(claim: Claim) -> list[str]:
    return [t.name for t in claim.targets]


# ---------------------------------------------------------------- a reported act is an accusation


def test_a_reported_breach_accuses_its_doer_whoever_reports_it(claims_of):
    text = "Government troops breached the truce twice overnight, the broadcaster Radio Meridian reported."
    claim = cued(claims_of(text), "reported")[0]
    assert claim.kind == "blame" and targets(claim) == ["government forces"]


def test_a_side_reporting_the_other_side_s_attack_accuses_it(claims_of):
    text = "Cambodia's defence ministry said on Tuesday that Thai forces shelled two border temples."
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind == "blame"
    assert len(claim.targets) == 1 and "Thai" in targets(claim)[0]


def test_a_trailing_cue_clause_accuses_the_subject_of_the_reported_clause(claims_of):
    text = "Russian drones hit a power station outside Sumy at dawn, the head of Ukraine's Sumy regional council said."
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind == "blame" and targets(claim) == ["Russian Armed Forces"]


def test_media_reporting_an_attack_without_calling_it_a_breach_accuse_no_one(claims_of):
    text = "The BBC reported that Sudanese army jets bombed three villages on Thursday."
    claim = cued(claims_of(text), "reported")[0]
    assert claim.kind == "assertion" and not claim.targets


def test_a_side_reporting_its_own_strike_accuses_no_one(claims_of):
    text = "The Nigerian army said its jets bombed a rebel camp near the Cameroon border."
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind != "blame" and not claim.targets


@pytest.mark.parametrize(
    "text",
    [
        "Kenya's defence ministry said Somali troops fired back after the patrol was ambushed.",
        "Kenya's defence ministry said Somali troops did not fire on the border camp.",
        "Kenya's defence ministry said Somali troops could attack the border camp within days.",
        "Kenya's defence ministry said it would answer any attacks by Somali troops.",
    ],
)
def test_retaliation_negation_possibility_and_acts_in_general_accuse_no_one(claims_of, text):
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind != "blame" and not claim.targets


def test_violations_named_by_a_noun_accuse_their_owner(claims_of):
    text = (
        "The Taliban said its raid was an answer to repeated Pakistani violations of the border accord. "
        "The rebel radio reported 40 breaches of the truce by the coalition on Sunday."
    )
    claims = claims_of(text)
    first = cued(claims, "said")[0]
    assert first.kind == "blame" and targets(first) == ["Pakistan"]
    second = cued(claims, "reported")[0]
    assert second.kind == "blame" and "coalition" in targets(second)[0]


def test_calling_an_act_a_violation_blames_its_doer(claims_of):
    text = (
        "Indian guns pounded a hamlet near Uri on Monday. The Pakistani army called it a violation "
        "of the accord. Pakistan called the Indian raid a blatant breach of the truce."
    )
    claims = claims_of(text)
    it, raid = cued(claims, "called")
    assert it.kind == "blame" and len(it.targets) == 1 and "India" in targets(it)[0]
    assert raid.kind == "blame" and targets(raid) == ["India"]


# ---------------------------------------------------------------- denials, held responsible, blamed for


def test_denying_an_act_is_the_speaker_s_denial(claims_of):
    text = "The militia denied attacking the convoy. The rebels denied that their fighters had shelled the market."
    claims = claims_of(text)
    denials = [c for c in claims if c.kind == "denial"]
    assert len(denials) == 2 and not any(c.kind == "blame" for c in claims)
    assert all(targets(c) == [c.source.actor or c.source.name] for c in denials)


def test_held_responsible_and_blamed_for_name_their_targets(claims_of):
    text = "Kyiv held Moscow fully responsible for the strike. The ministry blamed separatist units for the shelling."
    claims = claims_of(text)
    held = cued(claims, "held")[0]
    assert held.kind == "blame" and len(held.targets) == 1
    blamed = cued(claims, "blamed")[0]
    assert blamed.kind == "blame" and targets(blamed) == ["separatist units"]


# ---------------------------------------------------------------- blame traded between sides


def test_both_sides_accusing_each_other_are_the_sides_named_just_before(claims_of):
    text = (
        "Ethiopia and Eritrea signed a border pact in Jeddah on Sunday. "
        "By nightfall the two sides accused each other of flouting it."
    )
    mutual = {c.source.name: targets(c) for c in cued(claims_of(text), "each other")}
    assert mutual == {"Ethiopia": ["Eritrea"], "Eritrea": ["Ethiopia"]}


def test_traded_accusations_and_blame_are_blame_both_ways(claims_of):
    text = (
        "India and Pakistan traded accusations over the firing in Kashmir. "
        "The pause between India and Pakistan frayed on Monday, with both sides trading blame for the mortar fire."
    )
    claims = claims_of(text)
    traded = {c.source.name: targets(c) for c in cued(claims, "traded")}
    assert traded == {"India": ["Pakistan"], "Pakistan": ["India"]}
    trading = {c.source.name: targets(c) for c in cued(claims, "trading")}
    assert trading == {"India": ["Pakistan"], "Pakistan": ["India"]}
    assert all(c.kind == "blame" for c in cued(claims, "trad"))


def test_ministries_of_two_states_accusing_each_other_are_the_two_states(claims_of):
    text = "The interior ministries of Serbia and Croatia have accused each other of breaking the border deal."
    mutual = {c.source.name: targets(c) for c in cued(claims_of(text), "each other")}
    assert mutual == {"Serbia": ["Croatia"], "Croatia": ["Serbia"]}


# ---------------------------------------------------------------- who accuses


def test_the_accuser_is_the_subject_of_the_cue_verb_s_own_clause(claims_of):
    text = "Clashes resumed in Kashmir and Delhi accused Pakistani troops of breaking the truce."
    claim = cued(claims_of(text), "accused")[0]
    assert claim.kind == "blame" and claim.source.name in ("Delhi", "India")
    assert text[claim.source.start : claim.source.end] == "Delhi"


def test_a_cue_participle_after_a_reported_clause_is_the_reporter_s(claims_of):
    text = "Sudanese officials said that rebel drones struck a fuel depot in Kassala, also accusing Chad of arming them."
    claims = claims_of(text)
    said, accusing = cued(claims, "said")[0], cued(claims, "accusing")[0]
    assert accusing.source.name == said.source.name and "rebel" not in accusing.source.name
    assert accusing.kind == "blame" and targets(accusing) == ["Chad"]


def test_a_person_named_after_a_state_stays_a_person(claims_of):
    text = (
        'Defence Minister Avi Levin spoke first. "We will respond," he said. '
        'Foreign Minister Israel Katz visited the border on Monday. "They will pay a heavy price," he said.'
    )
    claims = claims_of(text)
    second = [c for c in claims if c.direct][1]
    assert second.source.name == "Israel Katz"


# ---------------------------------------------------------------- the speaker's exact words


def test_quoted_words_are_marked_whatever_the_claim_s_kind(claims_of):
    text = (
        'Kyiv called the shelling of Kherson "a flagrant breach" of the truce. '
        '"We will not be fooled," the mayor said. '
        'The agency reported that Governor Ana Petrova said "nothing has changed" since Friday.'
    )
    claims = claims_of(text)
    called = cued(claims, "called")[0]
    assert [text[q.start : q.end] for q in called.quotes] == ["a flagrant breach"]
    said = [c for c in claims if c.direct][0]
    assert [text[q.start : q.end] for q in said.quotes] == ["We will not be fooled,"]
    reported, governor = cued(claims, "reported")[0], [c for c in claims if "Petrova" in c.source.name][0]
    assert not reported.quotes and [text[q.start : q.end] for q in governor.quotes] == ["nothing has changed"]


def test_quotes_are_in_the_json_and_read_back(claims_of):
    text = 'The ministry called the raid "a war crime" on Sunday.'
    report = Report(text=text, published="2022-05-10")
    report.claims = claims_of(text)
    data = report.to_dict()
    assert data["claims"][0]["quotes"] == [{"start": text.index("a war"), "end": text.index('" on')}]
    again = Report.from_dict(data, text)
    assert again.claims[0].quotes == report.claims[0].quotes


def test_an_army_reporting_a_rebel_attack_accuses_the_rebels(claims_of):
    text = "The army said rebels attacked a checkpoint overnight. The army said government troops shelled the town."
    first, second = cued(claims_of(text), "said")
    assert first.kind == "blame" and targets(first) == ["rebels"]
    assert second.kind != "blame"  # its own side


# ---------------------------------------------------------------- naming the speaker


def test_a_document_speaks_for_its_issuer_and_an_office_for_its_holder(claims_of):
    text = (
        'Emmanuel Macron met the envoys on Thursday. Macron\'s decree said: "Patrols will stop for a week." '
        "A statement released by the Elysee Palace said the pause would begin at noon. "
        '"We will keep to it," the French president said.'
    )
    claims = claims_of(text)
    names = [c.source.name for c in claims]
    assert names == ["Emmanuel Macron", "French government", "Emmanuel Macron"]


def test_a_speaker_is_the_name_before_an_apposition_that_names_an_office(claims_of):
    text = 'Lindiwe Dube, a former Zambian president, said the deal included "free movement of goods".'
    claim = cued(claims_of(text), "said")[0]
    assert claim.source.name == "Lindiwe Dube"


def test_plural_and_self_naming_descriptions_are_not_the_last_named(claims_of):
    text = (
        "Foreign Minister Ana Duarte met her counterpart on Friday. The ministers also agreed to meet again. "
        "The Red Cross sent a convoy. \"The enemy fired at the villages,\" the Moldovan defence ministry said."
    )
    claims = claims_of(text)
    assert cued(claims, "agreed")[0].source.name == "ministers"
    assert "Red Cross" not in cued(claims, "said")[0].source.name


def test_he_is_never_a_town(read):
    text = (
        'Karim Nasser, a relief official, said the road to Sanaa reopened on Sunday. '
        '"Drivers cheered at the checkpoint," he said.'
    )
    second = cued(read(text, published="2022-05-10").claims, "said")[1]  # the places layer knows Sanaa
    assert second.source.name == "Karim Nasser"


def test_quotations_after_a_long_cue_clause_continue_its_speaker(claims_of):
    text = (
        '"Three convoys crossed the frontier today," Mariam Idris a coordinator with the northern aid '
        "consortium for displaced families, told reporters on Friday.\n\n"
        '"The second one carried insulin.\n\n"More are queued at the checkpoint."\n\n'
        "Ms Idris said the crossing stays open."
    )
    told = cued(claims_of(text), "told")[0]
    assert [text[q.start : q.end] for q in told.quotes][1:] == [
        "The second one carried insulin.", "More are queued at the checkpoint.",
    ]


def test_a_quotation_inside_an_added_clause_is_the_added_claim_s(claims_of):
    text = 'Minister Petra Holm called the offer "a trick," adding that the rebels "must first hand over their guns."'
    claims = claims_of(text)
    assert [text[q.start : q.end] for q in cued(claims, "called")[0].quotes] == ["a trick,"]
    added = cued(claims, "adding")[0]
    assert [text[q.start : q.end] for q in added.quotes] == ["must first hand over their guns."]


def test_speakers_continue_across_a_caption_and_into_their_documents(claims_of):
    text = (
        "Serbian police commanders rejected the charge and said their units were holding their posts.\n\n"
        "Children walk past a burned bus. Photo: Ana Ruiz/Reuters\n\n"
        "They added that Croatian police had raided two border villages at dawn, in breach of the accord.\n\n"
        "In a letter to envoys, the government of Somaliland says Somali militias continue to commit abuses. "
        "The letter says the militias have been burning farms."
    )
    claims = claims_of(text)
    added = cued(claims, "added")[0]
    assert "commanders" in added.source.name and added.kind == "blame"
    assert targets(added) == ["Croatian police"]
    says = cued(claims, "says")
    assert [c.source.name for c in says] == ["government of Somaliland", "government of Somaliland"]
    assert says[0].kind == "blame" and "Somali" in targets(says[0])[0]
    assert not any(c.cue.text.startswith("continue") for c in claims)  # an act goes on: no claim


def test_he_after_a_paraphrase_is_its_speaker_not_a_name_in_it(claims_of):
    text = 'Mr Okafor said the bridge named after Ahmadu Bello would reopen on Friday. "Traders are relieved," he said.'
    second = cued(claims_of(text), "said")[1]
    assert second.source.name.endswith("Okafor")


def test_a_trailing_cue_keeps_the_whole_clause_and_a_weapon_is_its_owner_s(claims_of):
    text = (
        "On Sunday, Sudanese army artillery pounded the outskirts of El Fasher near a UN compound, in a fresh "
        "breach of the truce, which could widen the war, aid workers said. Ukrainian officials said Russian "
        "missiles struck a power plant."
    )
    claims = claims_of(text)
    workers, officials = cued(claims, "said")
    assert text[workers.content.start :].startswith("On Sunday, Sudanese army artillery pounded")
    assert workers.kind == "blame" and len(workers.targets) == 1 and "Sudan" in targets(workers)[0]
    assert officials.kind == "blame" and targets(officials) == ["Russia"]


def test_the_enemy_is_another_side_and_residents_are_no_side(claims_of):
    text = (
        '"The enemy shelled our positions near the river," the defence ministry said. '
        "Residents said Russian forces shelled the market."
    )
    ministry, residents = cued(claims_of(text), "said")
    assert ministry.kind == "blame" and targets(ministry) == ["enemy"]
    assert residents.kind != "blame" and not residents.targets


def test_a_description_with_a_nationality_is_the_group_of_that_country_named_before(claims_of):
    text = (
        "Hamas fired a volley of rockets on Tuesday. The Palestinian militant movement described the "
        "salvo as an answer to repeated Israeli breaches of the truce."
    )
    claim = cued(claims_of(text), "described")[0]
    assert claim.source.name == "Hamas" and claim.kind == "blame" and targets(claim) == ["Israel"]
