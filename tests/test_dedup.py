"""Wire-copy detection against fixtures with a known answer (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fogwatch import dedup
from fogwatch.jobs import Loader
from fogwatch.report import Report
from fogwatch.store import Store

WIRE = (
    "Syrian government aircraft struck a market in the rebel-held town of Saraqeb on Monday, killing at least "
    "nine civilians and wounding more than 30, a war monitor and rescue workers said. The strikes hit the "
    "crowded vegetable market shortly after noon, as families shopped ahead of the holiday, according to the "
    "monitoring group, which relies on a network of sources on the ground. Rescue workers said the toll was "
    "likely to rise because several people remained trapped under the rubble of two collapsed buildings. "
    "The government did not comment on the strikes, which came a day after rebels shelled a nearby "
    "government-held village, killing two soldiers, according to state media."
)
# The same copy republished: new first sentence wording, the last sentence cut, one sentence added.
EDITED = (
    "Government warplanes struck a market in the rebel-held town of Saraqeb on Monday, killing at least "
    "nine civilians and wounding more than 30, a war monitor and rescue workers said. The strikes hit the "
    "crowded vegetable market shortly after noon, as families shopped ahead of the holiday, according to the "
    "monitoring group, which relies on a network of sources on the ground. Rescue workers said the toll was "
    "likely to rise because several people remained trapped under the rubble of two collapsed buildings. "
    "The town has been hit repeatedly this month."
)
# Another outlet's own report of the same strike: same facts, different words.
INDEPENDENT = (
    "At least 12 people died when jets bombed a busy market in Saraqeb, in Idlib province, on Monday "
    "afternoon, local medics told our correspondent. Witnesses described bodies among the stalls and said "
    "two buildings had come down. Damascus has not responded to requests for comment. A rescue volunteer "
    "said his team was still digging for survivors at nightfall."
)
UNRELATED = (
    "Hundreds of people marched through the capital on Saturday to demand the release of detained "
    "journalists, chanting slogans and carrying portraits of reporters held without charge for months."
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "d.db") as opened:
        yield opened


def ingest(store: Store, index: dedup.CopyIndex, report: Report) -> dedup.CopyLink | None:
    assert store.add(report)
    return dedup.register(store, index, report)


def test_similarities_separate_copies_from_independent_reports() -> None:
    wire, edited, independent = (dedup.signature(t) for t in (WIRE, EDITED, INDEPENDENT))
    assert wire.jaccard(edited) >= dedup.COPY_THRESHOLD
    assert wire.jaccard(independent) < 0.15


def test_copy_is_linked_and_independent_report_is_not(store: Store) -> None:
    index = dedup.load_index(store)
    wire = Report(text=WIRE, outlet="Agency", published="2020-02-03")
    assert ingest(store, index, wire) is None
    link = ingest(store, index, Report(text=EDITED, outlet="Daily", published="2020-02-04"))
    assert link is not None and link.original_id == wire.id
    assert ingest(store, index, Report(text=INDEPENDENT, outlet="Other", published="2020-02-03")) is None
    assert ingest(store, index, Report(text=UNRELATED, outlet="Agency", published="2020-02-03")) is None
    assert store.count()["copies"] == 1


def test_outside_the_date_window_it_is_not_a_copy(store: Store) -> None:
    index = dedup.load_index(store)
    ingest(store, index, Report(text=WIRE, outlet="Agency", published="2020-02-03"))
    late = Report(text=EDITED, outlet="Archive", published="2020-06-01")
    assert ingest(store, index, late) is None


def test_an_earlier_copy_arriving_later_becomes_the_original(store: Store) -> None:
    index = dedup.load_index(store)
    later = Report(text=EDITED, outlet="Daily", published="2020-02-05")
    ingest(store, index, later)
    earlier = Report(text=WIRE, outlet="Agency", published="2020-02-03")
    assert ingest(store, index, earlier) is None
    assert store.original_of(later.id) == earlier.id
    assert store.original_of(earlier.id) is None


def test_index_reloads_from_the_store(store: Store) -> None:
    wire = Report(text=WIRE, outlet="Agency", published="2020-02-03")
    ingest(store, dedup.load_index(store), wire)
    link = ingest(store, dedup.load_index(store), Report(text=EDITED, outlet="Daily", published="2020-02-03"))
    assert link is not None and link.original_id == wire.id


def test_short_texts_are_never_copies() -> None:
    assert dedup.signature("Shelling resumed.") is None


def test_one_index_per_process_read_again_only_when_the_store_changed_underneath(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each Loader (one per POST /api/reports) asks for the index; it is read from the store once,
    kept up to date as reports are added, and read again only after a write it did not see."""
    reads: list[str] = []
    read_index = dedup._read_index
    monkeypatch.setattr(dedup, "_read_index", lambda s: reads.append(s.location) or read_index(s))
    wire = Report(text=WIRE, outlet="Agency", published="2020-02-03")
    for report in (wire, Report(text=INDEPENDENT, outlet="Other", published="2020-02-03"),
                   Report(text=UNRELATED, outlet="Agency", published="2020-02-03")):
        Loader(store)(report)
    assert len(reads) == 1
    # Another process stores a wire copy without this process's index: the next load reads the store
    # again, and a later copy of it is linked to it.
    with Store(store.location) as other:
        agency = Report(text=EDITED, outlet="Elsewhere", published="2020-03-10")
        assert other.add(agency)
        other.save_signature(agency.id, dedup.to_bytes(dedup.signature(EDITED)))
    load = Loader(store)
    load(Report(text=EDITED + " Officials confirmed it.", outlet="Daily", published="2020-03-11"))
    assert len(reads) == 2
    assert [link.original_id for link in load.result.copies] == [agency.id]


def test_a_report_rolled_back_is_never_an_original(store: Store) -> None:
    """A long-lived index may still hold a report whose transaction failed; it must not be linked to."""
    index = dedup.load_index(store)
    ghost = Report(text=WIRE, outlet="Agency", published="2020-02-03")
    with pytest.raises(RuntimeError), store.transaction():
        ingest(store, index, ghost)
        raise RuntimeError("the ledger failed")
    assert not store.has(ghost.id) and ghost.id in index.signatures
    assert ingest(store, index, Report(text=EDITED, outlet="Daily", published="2020-02-04")) is None
    assert store.count()["copies"] == 0
