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

    pipeline = Pipeline.from_names(("chrome", "parse", "actors", "claims"))

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
    text = "Armenia's defence ministry said on Tuesday that Azerbaijani forces shelled two border villages."
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind == "blame"
    assert len(claim.targets) == 1 and "Azerbaijan" in targets(claim)[0]


def test_a_trailing_cue_clause_accuses_the_subject_of_the_reported_clause(claims_of):
    text = "Russian forces struck a school in the town of Vovchansk, the regional governor of Ukraine's Kharkiv region said."
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind == "blame" and targets(claim) == ["Russian Armed Forces"]


def test_media_reporting_an_attack_without_calling_it_a_breach_accuse_no_one(claims_of):
    text = "The Associated Press reported that Israeli tanks struck three villages on Thursday."
    claim = cued(claims_of(text), "reported")[0]
    assert claim.kind == "assertion" and not claim.targets


def test_a_side_reporting_its_own_strike_accuses_no_one(claims_of):
    text = "The Israeli army said its jets struck a weapons depot near the border."
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind != "blame" and not claim.targets


@pytest.mark.parametrize(
    "text",
    [
        "Turkey's defence ministry said Syrian troops fired back after the convoy came under attack.",
        "Turkey's defence ministry said Syrian troops did not fire on the observation post.",
        "Turkey's defence ministry said Syrian troops could attack the observation post within days.",
        "Turkey's defence ministry said it reserved the right to respond to attacks by Syrian troops.",
    ],
)
def test_retaliation_negation_possibility_and_acts_in_general_accuse_no_one(claims_of, text):
    claim = cued(claims_of(text), "said")[0]
    assert claim.kind != "blame" and not claim.targets


def test_violations_named_by_a_noun_accuse_their_owner(claims_of):
    text = (
        "Hezbollah said its rockets were a response to repeated Israeli violations of the truce. "
        "The rebel radio reported 40 breaches of the truce by the coalition on Sunday."
    )
    claims = claims_of(text)
    first = cued(claims, "said")[0]
    assert first.kind == "blame" and targets(first) == ["Israel"]
    second = cued(claims, "reported")[0]
    assert second.kind == "blame" and "coalition" in targets(second)[0]


def test_calling_an_act_a_violation_blames_its_doer(claims_of):
    text = (
        "Israeli jets struck a village near the border on Monday. The Lebanese army called it a violation "
        "of the ceasefire. Lebanon called the Israeli strike a flagrant breach of the truce."
    )
    claims = claims_of(text)
    it, strike = cued(claims, "called")
    assert it.kind == "blame" and targets(it) == ["Israel Defense Forces"]
    assert strike.kind == "blame" and targets(strike) == ["Israel"]


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
        "Azerbaijan and Armenia agreed to a truce in Moscow on Saturday. "
        "Within minutes both sides accused each other of breaking it."
    )
    mutual = {c.source.name: targets(c) for c in cued(claims_of(text), "each other")}
    assert mutual == {"Azerbaijan": ["Armenia"], "Armenia": ["Azerbaijan"]}


def test_traded_accusations_and_blame_are_blame_both_ways(claims_of):
    text = (
        "Israel and Hezbollah traded accusations over the attack on the border post. "
        "The truce between Israel and Hezbollah frayed on Monday, with both sides trading blame for the shelling."
    )
    claims = claims_of(text)
    traded = {c.source.name: targets(c) for c in cued(claims, "traded")}
    assert traded == {"Israel": ["Hezbollah"], "Hezbollah": ["Israel"]}
    trading = {c.source.name: targets(c) for c in cued(claims, "trading")}
    assert trading == {"Israel": ["Hezbollah"], "Hezbollah": ["Israel"]}
    assert all(c.kind == "blame" for c in cued(claims, "trad"))


def test_ministries_of_two_states_accusing_each_other_are_the_two_states(claims_of):
    text = "The defence ministries of Armenia and Azerbaijan have accused each other of violating the new truce."
    mutual = {c.source.name: targets(c) for c in cued(claims_of(text), "each other")}
    assert mutual == {"Armenia": ["Azerbaijan"], "Azerbaijan": ["Armenia"]}


# ---------------------------------------------------------------- who accuses


def test_the_accuser_is_the_subject_of_the_cue_verb_s_own_clause(claims_of):
    text = "Fighting resumed in Idlib and Ankara accused Syrian government troops of violating the truce."
    claim = cued(claims_of(text), "accused")[0]
    assert claim.kind == "blame" and claim.source.name in ("Ankara", "Turkey")
    assert text[claim.source.start : claim.source.end] == "Ankara"


def test_a_cue_participle_after_a_reported_clause_is_the_reporter_s(claims_of):
    text = "Ukrainian officials said that Russian jets fired six missiles at Sumy, also accusing Moscow of shelling Okhtyrka."
    claims = claims_of(text)
    said, accusing = cued(claims, "said")[0], cued(claims, "accusing")[0]
    assert accusing.source.name == said.source.name and "Russia" not in accusing.source.name
    assert accusing.kind == "blame" and targets(accusing) == ["Moscow"]


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
        'Vladimir Putin met the patriarch on Thursday. Putin\'s order said: "Troops will hold fire for a day." '
        "A statement released by the Kremlin said the pause would begin at noon. "
        '"We will observe it," the Russian president said.'
    )
    claims = claims_of(text)
    assert [c.source.name for c in claims] == ["Vladimir Putin", "Russian government", "Vladimir Putin"]


def test_a_speaker_is_the_name_before_an_apposition_that_names_an_office(claims_of):
    text = 'Lindiwe Dube, a former Zambian president, said the deal included "restoration of services".'
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
        '"People were extremely happy," he said.'
    )
    second = cued(read(text, published="2022-05-10").claims, "said")[1]  # the places layer knows Sanaa
    assert second.source.name == "Karim Nasser"


def test_quotations_after_a_long_cue_clause_continue_its_speaker(claims_of):
    text = (
        '"Four ships reached the port this week," Omar Haddad an official in the regional relief committee '
        "for the coast, told reporters on Monday.\n\n"
        '"The first one docked on Sunday.\n\n"Two more are waiting outside the harbour."\n\n'
        "Mr Haddad said the road was reopened."
    )
    told = cued(claims_of(text), "told")[0]
    assert [text[q.start : q.end] for q in told.quotes][1:] == [
        "The first one docked on Sunday.", "Two more are waiting outside the harbour.",
    ]


def test_a_quotation_inside_an_added_clause_is_the_added_claim_s(claims_of):
    text = 'Adviser Lev Marko called the plan "hypocrisy," adding that Russia "must leave the occupied land first."'
    claims = claims_of(text)
    assert [text[q.start : q.end] for q in cued(claims, "called")[0].quotes] == ["hypocrisy,"]
    added = cued(claims, "adding")[0]
    assert [text[q.start : q.end] for q in added.quotes] == ["must leave the occupied land first."]


def test_speakers_continue_across_a_caption_and_into_their_documents(claims_of):
    text = (
        "Karabakh's military officials denied attacking the city and said the army is observing the truce.\n\n"
        "A woman sits in the ruins of her house. Credit: Jan Novak/AP\n\n"
        "They added that Azerbaijani forces had shelled the capital during the night in violation of the truce.\n\n"
        "In a statement, the government of Tigrai says Eritrean forces continue to commit crimes. "
        "The statement says the forces have been looting."
    )
    claims = claims_of(text)
    added = cued(claims, "added")[0]
    assert "officials" in added.source.name and added.kind == "blame"
    assert "Azerbaijan" in targets(added)[0]
    says = cued(claims, "says")
    assert [c.source.name for c in says] == ["government of Tigrai", "government of Tigrai"]
    assert says[0].kind == "blame" and targets(says[0]) == ["Eritrean Defence Forces"]
    assert not any(c.cue.text.startswith("continue") for c in claims)  # an act goes on: no claim


def test_he_after_a_paraphrase_is_its_speaker_not_a_name_in_it(claims_of):
    text = 'Mr Haddad said the road linking the port and Ali Ben Omar was reopened. "People were happy," he said.'
    second = cued(claims_of(text), "said")[1]
    assert second.source.name.endswith("Haddad")


def test_a_trailing_cue_keeps_the_whole_clause_and_a_weapon_is_its_owner_s(claims_of):
    text = (
        "On Monday, Syrian regime artillery hit the village near a Turkish post, in a new violation of the "
        "ceasefire, which may lead to wider clashes, local activists said. Kyiv officials said Russian shells hit a school."
    )
    claims = claims_of(text)
    activists, kyiv = cued(claims, "said")
    assert text[activists.content.start :].startswith("On Monday, Syrian regime artillery hit")
    assert activists.kind == "blame" and targets(activists) == ["Syrian government"]
    assert kyiv.kind == "blame" and targets(kyiv) == ["Russia"]


def test_the_enemy_is_another_side_and_residents_are_no_side(claims_of):
    text = (
        '"The enemy fired at the villages with mortars and artillery," the defence ministry said. '
        "Residents said Russian forces shelled the market."
    )
    ministry, residents = cued(claims_of(text), "said")
    assert ministry.kind == "blame" and targets(ministry) == ["enemy"]
    assert residents.kind != "blame" and not residents.targets


def test_a_description_with_a_nationality_is_the_group_of_that_country_named_before(claims_of):
    text = (
        "Hezbollah fired two rockets on Monday. The Lebanese militant group justified the strikes as "
        "retaliation for repeated Israeli violations."
    )
    claim = cued(claims_of(text), "justified")[0]
    assert claim.source.name == "Hezbollah" and claim.kind == "blame" and targets(claim) == ["Israel"]
