"""Extraction on news sentences written for these tests (not from the bundled corpus): the rules must carry
to other countries, other leaders and other phrasings."""

from __future__ import annotations

import pytest

from kg.articles import parse_text
from kg.extract import Extraction, Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def extract(extractor: Extractor, text: str, published: str = "2025-06-12") -> Extraction:
    return extractor.extract(parse_text(f"published: {published}\n\n{text}"))


def events(extraction: Extraction) -> list[dict]:
    label = lambda k: extraction.actors[k].label  # noqa: E731
    return [{"type": e.type, "modality": e.claim.modality, "date": e.time.value if e.time else None,
             "participants": sorted(label(k) for k in e.claim.participants),
             "agent": label(e.claim.agent) if e.claim.agent else None,
             "target": [label(k) for k in e.claim.target], "subjects": [label(k) for k in e.claim.subjects]}
            for e in extraction.events]


def only(extractor: Extractor, text: str, published: str = "2025-06-12") -> dict:
    found = events(extract(extractor, text, published))
    assert len(found) == 1, found
    return found[0]


def test_a_meeting_between_leaders_unknown_to_the_catalog(extractor: Extractor) -> None:
    e = only(extractor, "French President Emmanuel Macron met Chinese President Xi Jinping in Beijing on Tuesday "
                        "to discuss trade.")
    assert e["type"] == "meeting" and e["participants"] == ["Emmanuel Macron", "Xi Jinping"]
    assert e["modality"] == "actual" and e["date"] == "2025-06-10"


def test_unknown_leaders_hold_the_posts_their_titles_name(extractor: Extractor) -> None:
    x = extract(extractor, "French President Emmanuel Macron met Chinese President Xi Jinping in Beijing.")
    posts = {(x.actors[o.person].label, o.post.label) for o in x.offices}
    assert ("Emmanuel Macron", "President of France") in posts and ("Xi Jinping", "President of China") in posts


def test_a_phone_call_between_ministers(extractor: Extractor) -> None:
    e = only(extractor, "Russian Foreign Minister Sergei Lavrov and US Secretary of State Marco Rubio spoke by "
                        "phone on Monday, the State Department said.")
    assert e["type"] == "phone_call" and e["participants"] == ["Marco Rubio", "Sergei Lavrov"]
    assert e["date"] == "2025-06-09"


def test_a_planned_trip_is_a_planned_visit_to_the_host_state(extractor: Extractor) -> None:
    found = events(extract(extractor, "Brazil's President Luiz Inácio Lula da Silva will travel to Buenos Aires "
                                      "next week for talks with Argentine President Javier Milei."))
    visit = next(e for e in found if e["type"] == "visit")
    assert visit["agent"] == "Luiz Inácio Lula da Silva" and visit["target"] == ["Argentina"]
    assert visit["modality"] == "planned"
    meeting = next(e for e in found if e["type"] == "meeting")
    assert meeting["participants"] == ["Javier Milei", "Luiz Inácio Lula da Silva"]


def test_sanctions_on_an_official(extractor: Extractor) -> None:
    e = only(extractor, "The United States imposed sanctions on Venezuelan Vice President Delcy Rodríguez on "
                        "Wednesday over alleged human rights abuses.")
    assert (e["type"], e["agent"], e["target"]) == ("sanction_imposed", "United States", ["Delcy Rodríguez"])
    assert e["date"] == "2025-06-11"


def test_sanctions_lifted_last_month(extractor: Extractor) -> None:
    e = only(extractor, "The European Union lifted sanctions on Syria last month after the fall of the Assad "
                        "government.")
    assert (e["type"], e["agent"], e["target"], e["date"]) == ("sanction_lifted", "European Union", ["Syria"],
                                                               "2025-05")


def test_an_extradition_moves_people_to_the_receiving_state(extractor: Extractor) -> None:
    e = only(extractor, "Mexico extradited 26 cartel figures to the United States last week, Mexican officials "
                        "said.")
    assert (e["agent"], e["target"], e["subjects"]) == ("Mexico", ["United States"], ["26 cartel figures"])


def test_air_strikes_by_a_state_on_another(extractor: Extractor) -> None:
    e = only(extractor, "Israeli warplanes struck targets in Lebanon on Sunday, the Israeli military said.")
    assert (e["type"], e["agent"], e["target"], e["date"]) == ("military_operation", "Israel", ["Lebanon"],
                                                               "2025-06-08")


def test_a_threat_is_threatened(extractor: Extractor) -> None:
    e = only(extractor, "North Korea threatened to retaliate against South Korea over the drills.")
    assert (e["type"], e["modality"], e["agent"], e["target"]) == ("threat", "threatened", "North Korea",
                                                                   ["South Korea"])


def test_an_expelled_ambassador_is_an_expulsion_of_their_state(extractor: Extractor) -> None:
    found = events(extract(extractor, "Ecuador expelled Mexico's ambassador on Monday."))
    assert {(e["type"], e["agent"], tuple(e["target"])) for e in found} == {("expulsion", "Ecuador", ("Mexico",))}


def test_a_future_meeting_is_planned_and_dated_forward(extractor: Extractor) -> None:
    e = only(extractor, "President Trump said he would meet Russian President Vladimir Putin in Alaska in August.")
    assert (e["type"], e["modality"], e["date"]) == ("meeting", "planned", "2025-08")
    assert e["participants"] == ["Donald Trump", "Vladimir Putin"]


def test_talks_that_ended_without_an_agreement_are_no_agreement(extractor: Extractor) -> None:
    found = events(extract(extractor, "The talks between Iran and the United States ended without an agreement."))
    assert [e["type"] for e in found] == ["meeting"]


def test_a_refusal_is_refused(extractor: Extractor) -> None:
    e = only(extractor, "Venezuela refused to accept deportation flights from the United States in January.")
    assert (e["type"], e["modality"], e["agent"], e["target"]) == ("deportation", "refused", "United States",
                                                                   ["Venezuela"])


def test_an_accusation_is_a_statement_from_the_accuser(extractor: Extractor) -> None:
    e = only(extractor, "Ukrainian President Volodymyr Zelenskyy accused Russia of prolonging the war.")
    assert (e["type"], e["agent"], e["target"]) == ("statement", "Volodymyr Zelenskyy", ["Russia"])


def test_a_signed_agreement_between_states(extractor: Extractor) -> None:
    e = only(extractor, "India and Pakistan signed a ceasefire agreement on May 10.")
    assert (e["type"], e["participants"], e["date"]) == ("agreement", ["India", "Pakistan"], "2025-05-10")


def test_a_visa_revocation_of_a_group_by_a_ministry(extractor: Extractor) -> None:
    e = only(extractor, "The State Department revoked the visas of five Colombian officials on Thursday.")
    assert (e["type"], e["agent"], e["target"]) == ("visa_revocation", "United States Department of State",
                                                    ["five Colombian officials"])


def test_a_visit_and_the_meeting_during_it(extractor: Extractor) -> None:
    found = events(extract(extractor, "Canadian Prime Minister Mark Carney visited Mexico City in September, where "
                                      "he met President Claudia Sheinbaum."))
    assert {e["type"] for e in found} == {"visit", "meeting"}
    visit = next(e for e in found if e["type"] == "visit")
    assert visit["agent"] == "Mark Carney" and visit["target"] == ["Mexico"] and visit["date"] == "2024-09"


def test_relative_dates_stay_unresolved_without_a_publication_date(extractor: Extractor) -> None:
    e = only(extractor, "German Chancellor Friedrich Merz will host Polish Prime Minister Donald Tusk in Berlin on "
                        "Tuesday.", published="unknown")
    assert (e["type"], e["modality"], e["date"]) == ("meeting", "planned", None)


def test_a_negated_meeting_is_not_an_event(extractor: Extractor) -> None:
    found = events(extract(extractor, "Petro did not meet Trump during his trip to New York."))
    assert all(e["type"] != "meeting" for e in found)


def test_a_hypothetical_rebuke_is_not_a_meeting(extractor: Extractor) -> None:
    found = events(extract(extractor, "Diplomats feared Petro might be rebuked in a meeting with Trump."))
    assert all(e["type"] != "meeting" for e in found)


def test_an_ambiguous_name_alone_is_not_linked(extractor: Extractor) -> None:
    x = extract(extractor, "Pedro Sánchez met Gustavo Petro in Madrid.")
    assert "pedro-arnulfo-sanchez-suarez" not in x.actors
    assert any(a.label == "Pedro Sánchez" and not a.qid for a in x.actors.values())


def test_an_ambiguous_name_with_its_role_is_linked(extractor: Extractor) -> None:
    x = extract(extractor, "Colombian Defence Minister Pedro Sánchez met US officials in Washington.")
    assert "pedro-arnulfo-sanchez-suarez" in x.actors


def test_a_capital_as_subject_stands_for_its_state(extractor: Extractor) -> None:
    e = only(extractor, "Washington revoked the visa of Colombian President Gustavo Petro in September.")
    assert (e["agent"], e["target"]) == ("United States", ["Gustavo Petro"])


def test_a_threat_to_impose_tariffs_is_a_threatened_sanction(extractor: Extractor) -> None:
    found = events(extract(extractor, "President Donald Trump threatened to impose 25% tariffs on all Colombian "
                                      "imports."))
    sanction = next(e for e in found if e["type"] == "sanction_imposed")
    assert sanction["modality"] == "threatened" and sanction["target"] == ["Colombia"]


def test_lifting_visa_restrictions_is_a_visa_waiver_not_a_sanction(extractor: Extractor) -> None:
    e = only(extractor, "Washington lifted the visa restrictions on Colombian officials on Friday.")
    assert (e["type"], e["agent"], e["target"], e["date"]) == ("visa_grant_or_waiver", "United States",
                                                               ["Colombian officials"], "2025-06-06")


def test_a_strike_on_a_place_targets_its_state(extractor: Extractor) -> None:
    e = only(extractor, "Israeli forces killed three people in an air strike on Gaza on Saturday.")
    assert (e["type"], e["agent"], e["target"]) == ("military_operation", "Israel", ["Palestine"])


def test_the_two_presidents_are_the_pair_the_article_is_about(extractor: Extractor) -> None:
    text = ("Colombian President Gustavo Petro criticised US President Donald Trump on Friday. "
            "Trump later said Petro was welcome in Washington. "
            "The two presidents spoke by telephone for 45 minutes on Sunday, the Colombian presidency said.")
    calls = [e for e in events(extract(extractor, text)) if e["type"] == "phone_call"]
    assert len(calls) == 1 and calls[0]["participants"] == ["Donald Trump", "Gustavo Petro"]
    assert calls[0]["date"] == "2025-06-08"


def test_a_person_named_in_full_once_is_known_by_surname_afterwards(extractor: Extractor) -> None:
    text = ("Argentine President Javier Milei arrived in Brasília on Monday. "
            "Milei had called Brazil's president a \"corrupt communist\" during the campaign. "
            "Milei is scheduled to meet Chinese President Xi Jinping in April.")
    found = events(extract(extractor, text))
    statement = next(e for e in found if e["type"] == "statement")
    assert statement["agent"] == "Javier Milei"
    meeting = next(e for e in found if e["type"] == "meeting")
    assert meeting["participants"] == ["Javier Milei", "Xi Jinping"] and meeting["modality"] == "planned"


def test_receiving_a_leader_is_a_meeting(extractor: Extractor) -> None:
    e = only(extractor, "Brazilian President Luiz Inácio Lula da Silva received Argentine President Javier Milei at "
                        "the Planalto palace on Monday.")
    assert (e["type"], e["participants"], e["date"]) == ("meeting", ["Javier Milei", "Luiz Inácio Lula da Silva"],
                                                         "2025-06-09")


def test_a_counterpart_named_after_the_role_is_a_participant(extractor: Extractor) -> None:
    e = only(extractor, "German Foreign Minister Annalena Baerbock met her Chinese counterpart Wang Yi on the "
                        "sidelines of the G20 summit on Friday.")
    assert (e["type"], e["participants"]) == ("meeting", ["Annalena Baerbock", "Wang Yi"])


def test_denying_landing_to_deportation_flights_is_a_refusal(extractor: Extractor) -> None:
    e = only(extractor, "Colombia denied landing permission to two US military planes carrying deportees.")
    assert (e["type"], e["modality"], e["agent"], e["target"]) == ("deportation", "refused", "United States",
                                                                   ["Colombia"])


def test_the_role_decides_between_namesakes(extractor: Extractor) -> None:
    x = extract(extractor, "Spanish Prime Minister Pedro Sánchez met Colombian Defence Minister Pedro Sánchez.")
    assert {"pedro-sanchez-perez-castejon", "pedro-arnulfo-sanchez-suarez"} <= set(x.actors)


def test_a_minute_long_call_reported_by_a_third_party(extractor: Extractor) -> None:
    e = only(extractor, "The Kremlin said Putin and Trump discussed Ukraine in a 90-minute call on 18 March.",
             published="2026-03-20")
    assert (e["type"], e["participants"], e["date"]) == ("phone_call", ["Donald Trump", "Vladimir Putin"],
                                                         "2026-03-18")


def test_a_state_named_before_a_role_is_not_a_person(extractor: Extractor) -> None:
    e = only(extractor, "During a state visit to Japan, Indian Prime Minister Narendra Modi met Japanese Prime "
                        "Minister Shigeru Ishiba.")
    assert (e["type"], e["participants"]) == ("meeting", ["Narendra Modi", "Shigeru Ishiba"])


def test_deportation_flights_from_a_state_are_deported_by_it(extractor: Extractor) -> None:
    found = events(extract(extractor, "Guatemala agreed to receive deportation flights from the United States, "
                                      "President Bernardo Arévalo said."))
    deportation = next(e for e in found if e["type"] == "deportation")
    assert (deportation["agent"], deportation["target"]) == ("United States", ["Guatemala"])
