"""``engine.check`` and ``escsim check``: each invariant is found broken when, and only when, it is.

A real run (the seed's escalation, an essential acknowledgement, a stop) passes every check;
each test then breaks the records in one way and expects exactly the finding that names it. The
command line reads the formats runs are written in and exits 0, 1, 252 or 253 as documented;
random records never crash the checker.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Simulator
from engine.check import INVARIANTS, CheckInputError, check_records, check_result
from engine.cli.main import main
from engine.findings import CATALOGUE
from engine.scenario.loader import load_text
from engine.scenario.runner import run_scenario
from tests.builders import REGION, START, Org, contact_arn
from tests.fuzz.shapes import CASES


def run() -> Simulator:
    """The seed's escalation engaged twice: one acknowledged by its essential target, one
    stopped; then run until quiet. Carrier receipts, so that arrivals are in the log too."""
    sim = Simulator(seed=3, start=START, region=REGION, delivery_receipts="carrier")
    org = Org(sim, sim.client())
    org.seed()
    first = org.engage("example_escalation")
    second = org.engage("akuam", PublicSubject=None, PublicContent=None)
    sim.advance(60)
    page = next(
        e["PageArn"]
        for e in sim.events
        if e["Type"] == "PAGE_CREATED" and e["EngagementArn"] == first
    )
    sim.client().accept_page(PageId=page, AcceptType="READ", AcceptCode="000000")
    sim.advance(400)
    sim.client().stop_engagement(EngagementId=second)
    sim.run()
    return sim


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return run().result()


@pytest.fixture
def records(result: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(result)


def kinds(result: dict[str, Any]) -> list[str]:
    return sorted({finding.kind for finding in check_result(result)})


def index_of(events: list[dict[str, Any]], **match: Any) -> int:
    return next(i for i, e in enumerate(events) if all(e.get(k) == v for k, v in match.items()))


def test_a_real_run_keeps_every_invariant(result: dict[str, Any]) -> None:
    assert check_result(result) == []
    assert [e["Type"] for e in result["events"]].count("ESCALATION_STOPPED") == 1
    assert set(INVARIANTS) == {k for k in CATALOGUE if k.startswith("G9")}


def test_a_receipt_for_a_page_never_created_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    receipt = events[index_of(events, Type="RECEIPT", ReceiptType="DELIVERED")]
    receipt["PageArn"] = receipt["PageArn"][:-4] + "dead"
    assert kinds(records) == ["G901"]


def test_a_receipt_on_another_contacts_channel_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    foreign = next(
        e["ContactChannelArn"]
        for e in events
        if e["Type"] == "CHANNEL_CREATED" and e["ContactArn"] == contact_arn("anasi")
    )
    events[index_of(events, Type="RECEIPT", ReceiptType="DELIVERED")]["ContactChannelArn"] = foreign
    assert kinds(records) == ["G902"]


def test_a_send_to_a_channel_never_activated_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    channel = events[index_of(events, Type="MESSAGE")]["ContactChannelArn"]
    records["events"] = [
        e
        for e in events
        if not (e["Type"] == "CHANNEL_ACTIVATED" and e["ContactChannelArn"] == channel)
    ]
    assert kinds(records) == ["G902"]


def test_a_message_after_the_pages_read_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    read = index_of(events, Type="RECEIPT", ReceiptType="READ")
    page = events[read]["PageArn"]
    sent = [i for i, e in enumerate(events) if e.get("PageArn") == page and e["Type"] == "MESSAGE"]
    late = [copy.deepcopy(events[sent[0]]), copy.deepcopy(events[sent[0] + 1])]
    for record in late:
        record["Time"] = events[read]["Time"]
    events[read + 1 : read + 1] = late
    records["outbox"] = None
    del records["outbox"]
    assert "G903" in kinds(records)


def stop_all_run() -> Simulator:
    """An essential acknowledgement under stop_all STOPs alejr's page; alejr then confirms
    delivery and reads it (E10). Carrier receipts: alejr's SMS also arrived before the STOP."""
    sim = Simulator(
        seed=3, start=START, region=REGION, essential_ack="stop_all", delivery_receipts="carrier"
    )
    org = Org(sim, sim.client())
    org.seed()
    org.escalation("pair", [(5, [("akuam", True), ("alejr", False)])])
    engagement = org.engage("pair")
    pages = {
        p["ContactArn"]: p["PageArn"]
        for p in sim.client().list_pages_by_engagement(EngagementId=engagement)["Pages"]
    }
    sim.advance(60)
    sim.client().accept_page(
        PageId=pages[contact_arn("akuam")], AcceptType="READ", AcceptCode="000000"
    )
    sim.advance(30)
    alejr = pages[contact_arn("alejr")]
    sim.client().accept_page(PageId=alejr, AcceptType="DELIVERED", AcceptCode="111111")
    sim.client().accept_page(PageId=alejr, AcceptType="READ", AcceptCode="111111")
    sim.run()
    return sim


def test_accept_page_on_a_page_stop_all_closed_keeps_every_invariant() -> None:
    sim = stop_all_run()
    receipts = [e["ReceiptType"] for e in sim.events if e.get("ReceiptType")]
    assert receipts.count("STOP") == 1 and receipts.count("READ") == 2
    assert check_records(sim.events, sim.outbox) == []


def test_an_arrival_recorded_after_a_stop_all_stop_is_found() -> None:
    sim = stop_all_run()
    events = copy.deepcopy(sim.events)
    stop = index_of(events, Type="RECEIPT", ReceiptType="STOP")
    page = events[stop]["PageArn"]
    arrival = index_of(events, Type="RECEIPT", ReceiptType="DELIVERED", PageArn=page)
    late = copy.deepcopy(events[arrival])  # names the SENT message: an arrival, not AcceptPage
    late["Time"] = events[stop]["Time"]
    events.insert(stop + 1, late)
    assert sorted({f.kind for f in check_records(events, sim.outbox)}) == ["G903"]


def test_a_second_read_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    read = index_of(events, Type="RECEIPT", ReceiptType="READ")
    events.insert(read + 1, copy.deepcopy(events[read]))
    assert kinds(records) == ["G904"]


def test_a_stage_after_an_essential_acknowledgement_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    stopped = index_of(events, Type="ESCALATION_STOPPED")
    stage = copy.deepcopy(events[index_of(events, Type="STAGE_STARTED", StageIndex=0)])
    stage.update(Time=events[stopped]["Time"], StageIndex=1)
    assert "PageArn" not in stage
    events.insert(stopped + 1, stage)
    assert kinds(records) == ["G905"]


def test_an_escalation_stopped_without_a_read_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    read = index_of(events, Type="RECEIPT", ReceiptType="READ")
    events.insert(read, events.pop(index_of(events, Type="ESCALATION_STOPPED")))
    assert "G905" in kinds(records)


def test_an_engagement_without_an_end_is_found_unless_the_run_goes_on(
    records: dict[str, Any],
) -> None:
    records["events"] = [e for e in records["events"] if e["Type"] != "ENGAGEMENT_ENDED"]
    assert kinds(records) == ["G906"]
    assert check_result(records, finished=False) == []


def test_an_engagement_ending_twice_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    ended = index_of(events, Type="ENGAGEMENT_ENDED")
    events.insert(ended + 1, copy.deepcopy(events[ended]))
    assert kinds(records) == ["G907"]


def test_secure_text_on_sms_is_found(records: dict[str, Any]) -> None:
    sms = next(m for m in records["outbox"] if m["Kind"] == "PAGE" and m["ChannelType"] == "SMS")
    sms["Content"] = "Testing engagements via CLI"
    assert kinds(records) == ["G908"]


def test_without_the_engagements_texts_an_sms_repeating_them_is_a_warning(
    records: dict[str, Any],
) -> None:
    voice = next(m for m in records["outbox"] if m["Kind"] == "PAGE" and m["ChannelType"] != "SMS")
    sms = next(
        m
        for m in records["outbox"]
        if m["Kind"] == "PAGE"
        and m["ChannelType"] == "SMS"
        and m["EngagementArn"] == voice["EngagementArn"]
    )
    sms["Content"] = voice["Content"]
    findings = check_records(records["events"], records["outbox"])
    assert [(f.kind, f.severity) for f in findings] == [("G910", "warning")]


def test_a_page_message_without_its_receipt_is_found(records: dict[str, Any]) -> None:
    outbox = records["outbox"]
    outbox.remove(next(m for m in outbox if m["Kind"] == "PAGE"))
    assert kinds(records) == ["G909"]


def test_records_going_back_in_time_are_found(records: dict[str, Any]) -> None:
    events = records["events"]
    events[-1]["Time"] = events[0]["Time"] - 60
    assert "G911" in kinds(records)


def test_work_of_an_engagement_whose_start_is_missing_is_found_once(
    records: dict[str, Any],
) -> None:
    events = records["events"]
    started = events.pop(index_of(events, Type="ENGAGEMENT_STARTED"))
    arn = started["EngagementArn"]
    findings = check_result(records)
    assert [f.kind for f in findings] == ["G912"]
    (finding,) = findings
    assert finding.subject == arn and "no earlier ENGAGEMENT_STARTED" in finding.message
    first = next(i for i, e in enumerate(events) if e.get("EngagementArn") == arn)
    assert finding.path == f"events[{first}]"


@pytest.mark.parametrize("kind", ["STAGE_STARTED", "ENGAGEMENT_ENDED", "ENGAGEMENT_STOPPED"])
def test_each_kind_of_engagement_record_needs_its_start(records: dict[str, Any], kind: str) -> None:
    events = records["events"]
    stray = copy.deepcopy(events[index_of(events, Type=kind)])
    stray["EngagementArn"] = stray["EngagementArn"][:-4] + "beef"
    events.append({**stray, "Time": events[-1]["Time"]})
    assert "G912" in kinds(records)


def test_a_stage_on_a_page_never_created_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    stage = events[index_of(events, Type="STAGE_STARTED", StageIndex=1)]
    paged = next(e for e in events if e["Type"] == "STAGE_STARTED" and "PageArn" in e)
    events.insert(
        events.index(stage) + 1,
        {**paged, "Time": stage["Time"], "PageArn": paged["PageArn"][:-4] + "beef"},
    )
    assert "G912" in kinds(records)


def test_a_channel_event_before_its_creation_is_found(records: dict[str, Any]) -> None:
    events = records["events"]
    created = index_of(events, Type="CHANNEL_CREATED")
    records["events"] = events[:created] + events[created + 1 :]
    assert kinds(records) == ["G912"]


def test_a_skip_of_a_channel_that_never_existed_is_no_orphan() -> None:
    # A plan may name a channel of another account: the run skips it, and the check accepts the
    # skip (a hypothesis example of the scenario fuzz found this).
    foreign = (
        "arn:aws:ssm-contacts:us-east-1:444455556666:contact-channel/akuam/"
        "4f6a1c0e-1b2d-4e3f-9a8b-7c6d5e4f3a21"
    )
    text = f"""
version: 1
name: skip-of-a-foreign-channel
contacts:
  - ContactArn: arn:aws:ssm-contacts:us-east-1:111122223333:contact/akuam
    Alias: akuam
    Type: PERSONAL
    Plan:
      Stages:
        - DurationInMinutes: 5
          Targets:
            - ChannelTargetInfo:
                ContactChannelId: {foreign}
script:
  - at: 0m
    StartEngagement: {{ContactId: akuam, Sender: ops, Subject: s, Content: c}}
"""
    (scenario,) = load_text(text)
    result = run_scenario(scenario).result()
    skips = [e for e in result["events"] if e["Type"] == "CHANNEL_SKIPPED"]
    assert [e["Reason"] for e in skips] == ["channel not found"]
    assert check_result(result) == []


def test_records_of_several_scenarios_are_checked_apart(result: dict[str, Any]) -> None:
    twice = [{**e, "Scenario": name} for name in ("one", "two") for e in result["events"]]
    assert check_records(twice) == []
    with pytest.raises(CheckInputError, match="which scenario"):
        check_records(twice, result["outbox"])


records_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "Time": st.one_of(st.integers(0, 10), st.floats(), st.text(max_size=2), st.none()),
            "Type": st.sampled_from(
                [
                    "ENGAGEMENT_STARTED",
                    "STAGE_STARTED",
                    "PAGE_CREATED",
                    "MESSAGE",
                    "RECEIPT",
                    "ESCALATION_STOPPED",
                    "ENGAGEMENT_STOPPED",
                    "ENGAGEMENT_ENDED",
                    "CHANNEL_CREATED",
                    "CHANNEL_ACTIVATED",
                    "CHANNEL_DELETED",
                    "NO_ONCALL",
                    "TARGET_SKIPPED",
                    "CHANNEL_SKIPPED",
                    "OTHER",
                ]
            ),
        },
        optional={
            key: st.one_of(
                st.sampled_from(["a", "b", "c"]), st.none(), st.integers(), st.lists(st.none())
            )
            for key in (
                "EngagementArn",
                "PageArn",
                "ContactArn",
                "ContactChannelArn",
                "ReceiptType",
                "Outcome",
                "Scenario",
                "Kind",
                "ChannelType",
                "Subject",
                "Content",
                "Attempt",
                "StageIndex",
            )
        },
    ),
    max_size=15,
)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(events=records_strategy, outbox=records_strategy, finished=st.booleans())
def test_the_checker_judges_any_records_without_crashing(
    events: list[dict[str, Any]], outbox: list[dict[str, Any]], finished: bool
) -> None:
    CASES[("check", "random-records")] += 1
    try:
        findings = check_records(events, outbox, engagements=events, finished=finished)
    except CheckInputError:
        return
    assert all(finding.kind in INVARIANTS for finding in findings)


# -- escsim check ---------------------------------------------------------------------------------


def write_lines(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_escsim_check_passes_a_good_result_and_event_log(
    tmp_path: Path, result: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    whole = tmp_path / "result.json"
    whole.write_text(json.dumps(result), encoding="utf-8")
    code, out, _ = check(capsys, str(whole))
    assert code == 0
    assert "all 12 invariants hold" in out
    events = write_lines(tmp_path / "events.jsonl", result["events"])
    outbox = tmp_path / "outbox.json"
    outbox.write_text(json.dumps(result["outbox"], indent=2), encoding="utf-8")
    code, out, _ = check(capsys, str(events), "--outbox", str(outbox), "--output", "json")
    document = json.loads(out)
    assert code == 0
    assert document["records"] == {
        "events": len(result["events"]),
        "outbox": len(result["outbox"]),
    }
    assert document["findings"] == [] and document["errors"] == 0
    assert [item["Id"] for item in document["invariants"]] == list(INVARIANTS)


def test_escsim_check_exits_1_naming_the_line_of_a_broken_record(
    tmp_path: Path, records: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    events = records["events"]
    read = index_of(events, Type="RECEIPT", ReceiptType="READ")
    events.insert(read + 1, copy.deepcopy(events[read]))
    path = tmp_path / "events.jsonl"
    path.write_text("\n" + "".join(json.dumps(r) + "\n" for r in events), encoding="utf-8")
    code, out, _ = check(capsys, str(path), "--output", "json")
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert finding["Id"] == "G904" and finding["Path"] == f"events[{read + 1}]"
    assert finding["Line"] == read + 3  # a blank first line, then one record a line
    code, out, _ = check(capsys, str(path))
    assert code == 1 and "G904 repeated-read" in out and "1 error(s)" in out


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "is empty"),
        (b'{"Time": 1, "Type": "RECEIPT"}\nnot json\n', "line 2 is not JSON"),
        (b'{"Type": "RECEIPT"}\n', r"line 1: an event needs Type \(text\) and Time"),
        (b"[1, 2]", r"\[0\] is not a record"),
        (b"\xff\xfe", "not UTF-8"),
        (b"42", "holds a JSON int"),
        (b'{"events": 3}', "events is missing or not a list"),
    ],
)
def test_escsim_check_refuses_an_unreadable_file_with_253_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, why: str
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(content)
    code, out, err = check(capsys, str(path))
    assert code == 253
    assert out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"escsim check: {path}")
    assert re.search(why, err), err


def test_escsim_check_of_a_missing_file_is_253(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = check(capsys, str(tmp_path / "nope.jsonl"))
    assert code == 253 and "cannot read it" in err


def test_escsim_check_refuses_an_outbox_beside_a_result_with_252(
    tmp_path: Path, result: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    whole = tmp_path / "result.json"
    whole.write_text(json.dumps(result), encoding="utf-8")
    code, _, err = check(capsys, str(whole), "--outbox", str(whole))
    assert code == 252 and "leave out --outbox" in err


def test_escsim_check_takes_an_empty_outbox_of_a_run_that_sent_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = Simulator(seed=0, start=START, region=REGION)
    client = sim.client()
    client.create_contact(Alias="quiet", Type="PERSONAL", Plan={"Stages": []})
    client.start_engagement(ContactId=contact_arn("quiet"), Sender="s", Subject="s", Content="c")
    events = write_lines(tmp_path / "events.jsonl", sim.events)
    (tmp_path / "outbox.jsonl").write_text("", encoding="utf-8")
    code, out, _ = check(capsys, str(events), "--outbox", str(tmp_path / "outbox.jsonl"))
    assert code == 0 and "0 outbox messages: all 12 invariants hold" in out


def test_escsim_check_exits_1_for_a_deleted_engagement_start(
    tmp_path: Path, result: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    events = [e for e in result["events"] if e["Type"] != "ENGAGEMENT_STARTED"]
    log = write_lines(tmp_path / "ev.jsonl", events)
    code, out, _ = check(capsys, str(log), "--output", "json")
    assert code == 1
    found = json.loads(out)["findings"]
    assert {f["Id"] for f in found} == {"G912"} and len(found) == 2  # two engagements, once each
    assert all(f["Name"] == "record-without-origin" for f in found)
