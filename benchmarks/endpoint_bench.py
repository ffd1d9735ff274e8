"""Throughput and latency of the HTTP endpoint under concurrent boto3 clients.

Starts ``escsim serve --port 0`` (``python -m engine.cli.main serve``) in a subprocess (so the
clients do not share a GIL with the server), builds a small organisation through boto3, then
runs one phase per operation: CLIENTS threads, each with its own boto3 client, call
StartEngagement (on an escalation plan) or ListPagesByEngagement (on one engagement) back to
back for SECONDS seconds, or REQUESTS calls each. Prints JSON: per operation, requests, requests
per second, latency percentiles in milliseconds, and the CPU milliseconds per request of the
server process and of this (client) process, which say which side bounds the figures (Linux:
read from /proc).

    python benchmarks/endpoint_bench.py [--clients 4] [--seconds 5] [--requests N] [--moto]

With ``--moto`` the same harness also times moto's server answering SSM PutParameter, a
yardstick for what a Python AWS emulator does per request on this machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

START = "2026-01-01T00:00:00Z"
REGION = "us-east-2"
ACCOUNT = "111122223333"
LISTENING = re.compile(r"escsim listening on (http://\S+)\n")


def contact_arn(alias: str) -> str:
    return f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:contact/{alias}"


def make_client(url: str) -> Any:
    session = boto3.session.Session(
        aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION
    )
    return session.client(
        "ssm-contacts", endpoint_url=url, config=Config(retries={"total_max_attempts": 1})
    )


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "engine.cli.main",
            "serve",
            "--port",
            "0",
            "--start",
            START,
            "--region",
            REGION,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = LISTENING.fullmatch(line)
    if match is None:
        process.kill()
        raise SystemExit(f"escsim serve did not start: {line!r}")
    return process, match.group(1)


def start_moto() -> tuple[subprocess.Popen[str], str]:
    """moto's server on a free loopback port (moto is a benchmark-only dependency)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("moto's server did not start") from None
            time.sleep(0.1)


def moto_phase(args: argparse.Namespace) -> dict[str, Any]:
    """SSM PutParameter against moto's server, with the same clients and harness."""
    process, url = start_moto()
    try:
        clients = []
        for _ in range(args.clients):
            session = boto3.session.Session(
                aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION
            )
            clients.append(
                session.client(
                    "ssm", endpoint_url=url, config=Config(retries={"total_max_attempts": 1})
                )
            )
        counter = itertools.count()

        def put(client: Any) -> object:
            n = next(counter)
            return client.put_parameter(
                Name=f"/bench/p{n % 100}", Value=str(n), Type="String", Overwrite=True
            )

        for client in clients:
            for _ in range(args.warmup):
                put(client)
        return timed_phase(process.pid, clients, put, args)
    finally:
        process.terminate()
        process.wait(timeout=30)


def build_organisation(client: Any, url: str) -> tuple[str, str]:
    """Three people with an activated SMS channel, and a plan engaging them in turn.

    Returns the plan's ARN and an engagement of it (with its first page sent).
    """
    for n, alias in enumerate(("akuam", "alejr", "anasi")):
        arn = client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
        channel = client.create_contact_channel(
            ContactId=arn,
            Name="sms",
            Type="SMS",
            DeliveryAddress={"SimpleAddress": f"+1555010{n}"},
        )["ContactChannelArn"]
        with urllib.request.urlopen(f"{url}/_escsim/outbox") as response:
            messages = json.loads(response.read())["Messages"]
        code = next(m["Code"] for m in messages if m["ContactChannelArn"] == channel)
        client.activate_contact_channel(ContactChannelId=channel, ActivationCode=code)
        stage = {
            "DurationInMinutes": 5,
            "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel}}],
        }
        client.update_contact(ContactId=arn, Plan={"Stages": [stage]})
    plan = client.create_contact(
        Alias="example_escalation",
        Type="ESCALATION",
        Plan={
            "Stages": [
                {
                    "DurationInMinutes": 5,
                    "Targets": [
                        {"ContactTargetInfo": {"ContactId": contact_arn(a), "IsEssential": False}}
                    ],
                }
                for a in ("akuam", "alejr", "anasi")
            ]
        },
    )["ContactArn"]
    engagement = client.start_engagement(ContactId=plan, Sender="bench", Subject="s", Content="c")[
        "EngagementArn"
    ]
    return plan, engagement


def run_phase(
    clients: list[Any],
    call: Callable[[Any], object],
    seconds: float,
    requests: int | None,
) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in clients]
    failures = [0] * len(clients)
    barrier = threading.Barrier(len(clients) + 1)
    deadline: list[float] = []

    def worker(index: int) -> None:
        client = clients[index]
        mine = latencies[index]
        barrier.wait()
        while True:
            if requests is not None:
                if len(mine) + failures[index] >= requests:
                    return
            elif time.perf_counter() >= deadline[0]:
                return
            began = time.perf_counter()
            try:
                call(client)
            except Exception:  # counted and reported; a benchmark must not stop on one
                failures[index] += 1
                continue
            mine.append(time.perf_counter() - began)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(x for per_client in latencies for x in per_client)
    return {
        "requests": len(ordered),
        "failures": sum(failures),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(ordered) / elapsed, 1),
        "latency_ms": {
            "p50": round(percentile(ordered, 50) * 1000, 3),
            "p99": round(percentile(ordered, 99) * 1000, 3),
            "max": round(ordered[-1] * 1000, 3) if ordered else 0.0,
        },
    }


def cpu_seconds(pid: int | None = None) -> float | None:
    """User plus system CPU seconds of process ``pid`` (this one when None); None off Linux."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_phase(
    pid: int, clients: list[Any], call: Callable[[Any], object], args: argparse.Namespace
) -> dict[str, Any]:
    """``run_phase``, with the CPU each side spent per request."""
    server_before, client_before = cpu_seconds(pid), cpu_seconds()
    result = run_phase(clients, call, args.seconds, args.requests)
    server_after, client_after = cpu_seconds(pid), cpu_seconds()
    count = max(result["requests"], 1)
    if server_before is not None and server_after is not None:
        result["server_cpu_ms_per_request"] = round(
            (server_after - server_before) * 1000 / count, 3
        )
    if client_before is not None and client_after is not None:
        result["client_cpu_ms_per_request"] = round(
            (client_after - client_before) * 1000 / count, 3
        )
    return result


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values (0.0 when there are none)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4, help="concurrent boto3 clients (4)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase (5)")
    parser.add_argument(
        "--requests", type=int, default=None, help="requests per client instead of --seconds"
    )
    parser.add_argument("--warmup", type=int, default=20, help="untimed calls per client (20)")
    parser.add_argument(
        "--moto",
        action="store_true",
        help="also time moto's server answering SSM PutParameter (pip install 'escsim[bench]')",
    )
    args = parser.parse_args(argv)

    process, url = start_server()
    try:
        setup = make_client(url)
        plan, engagement = build_organisation(setup, url)
        clients = [make_client(url) for _ in range(args.clients)]

        def start(client: Any) -> object:
            return client.start_engagement(ContactId=plan, Sender="bench", Subject="s", Content="c")

        def list_pages(client: Any) -> object:
            return client.list_pages_by_engagement(EngagementId=engagement)

        phases = {"StartEngagement": start, "ListPagesByEngagement": list_pages}
        results: dict[str, Any] = {}
        for name, call in phases.items():
            for client in clients:
                for _ in range(args.warmup):
                    call(client)
            results[name] = timed_phase(process.pid, clients, call, args)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    if args.moto:
        results["moto: SSM PutParameter"] = moto_phase(args)
    report = {
        "clients": args.clients,
        "phase": {"seconds": args.seconds}
        if args.requests is None
        else {"requests_per_client": args.requests},
        "server": "escsim serve (subprocess, virtual clock)",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "operations": results,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
