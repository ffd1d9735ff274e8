"""The organisation that issue 8's review figures are measured on, written as a scenario file.

The org-year organisation (C = 1000, from `escsim bench org-year --emit-scenario`, without its
traffic script) with 20 weekly rotations of 10 people in five zones and one on-call schedule per
rotation put in as the first target of every escalation plan; a quarter of the rotations cover
weekday business hours only, so coverage has gaps to find. It declares 1000 incidents per
replication (`incidents: {count: 1000}`).

    python benchmarks/review_org_year.py org.scenario.yaml
    time escsim review org.scenario.yaml --replications 100 --workers 2 --output json >/dev/null
    time escsim review org.scenario.yaml --replications 100 --workers 2 --dask local \
        --output json >/dev/null
    time escsim bench org-year --engagements 100000
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

from engine.bench.orgyear import ACCOUNT, REGION, OrgYear

ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
PREFIX = f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:"


def organisation() -> dict[str, Any]:
    """The review scenario document."""
    workload = OrgYear.generate(contacts=1000, engagements=10, seed=1)
    doc = workload.scenario("org-year-oncall")
    doc.pop("script")
    rotations, schedules = [], []
    for k in range(20):
        arn = PREFIX + "rotation/" + str(uuid.UUID(int=k + 1, version=4))
        hand_off = {"HourOfDay": 9, "MinuteOfHour": 0}
        recurrence: dict[str, Any] = {
            "WeeklySettings": [{"DayOfWeek": "MON", "HandOffTime": hand_off}],
            "NumberOfOnCalls": 1,
            "RecurrenceMultiplier": 1,
        }
        if k % 4 == 3:
            day = [
                {
                    "Start": {"HourOfDay": 8, "MinuteOfHour": 0},
                    "End": {"HourOfDay": 18, "MinuteOfHour": 0},
                }
            ]
            recurrence["ShiftCoverages"] = {d: day for d in ("MON", "TUE", "WED", "THU", "FRI")}
        rotations.append(
            {
                "RotationArn": arn,
                "Name": f"rotation-{k:02d}",
                "ContactIds": [PREFIX + f"contact/contact-{10 * k + i:04d}" for i in range(10)],
                "StartTime": "2026-01-01T00:00:00Z",
                "TimeZoneId": ZONES[k % 5],
                "Recurrence": recurrence,
            }
        )
        schedules.append(
            {
                "ContactArn": PREFIX + f"contact/schedule-{k:02d}",
                "Alias": f"schedule-{k:02d}",
                "Type": "ONCALL_SCHEDULE",
                "Plan": {"RotationIds": [arn]},
            }
        )
    for contact in doc["contacts"]:
        if contact["Type"] == "ESCALATION":
            k = int(contact["Alias"].split("-")[1]) % 20
            first = contact["Plan"]["Stages"][0]["Targets"][0]["ContactTargetInfo"]
            first["ContactId"] = PREFIX + f"contact/schedule-{k:02d}"
    doc["contacts"] += schedules
    doc["rotations"] = rotations
    doc["incidents"] = {"count": 1000}
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", metavar="FILE", help="where to write the scenario file")
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as stream:
        json.dump(organisation(), stream, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
