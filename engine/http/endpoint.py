"""The endpoint without a transport: one simulator behind a lock answering AWS and control requests.

``Endpoint.handle(method, path, headers, body)`` turns one HTTP request into one ``Reply``; the
HTTP server feeds it from sockets and the in-process boto3 hook from botocore's prepared
requests. Operations are found in the operation registry and run by the service layer, so an
operation the service learns is served here with no change. Requests run one at a time: the
lock covers validation, the simulation and encoding the result.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Final, TypeVar
from urllib.parse import urlsplit

from engine.api.registry import OPERATIONS
from engine.errors import InternalServerException, ServiceError, ValidationException
from engine.http import control
from engine.http.accounts import Accounts
from engine.http.admin import AdminGuard
from engine.http.changes import Changes
from engine.http.clock import VIRTUAL, ClockMode, Pacer
from engine.http.journal import WorkspaceJournal
from engine.http.ratelimit import RateLimit
from engine.http.refusals import (
    MethodNotAllowedException,
    NotFoundException,
    RequestEntityTooLargeException,
    UnknownOperationException,
)
from engine.http.wire import (
    MAX_BODY_BYTES,
    PLAIN_JSON,
    Reply,
    decode_body,
    encode,
    failure,
    success,
)
from engine.sigv4 import region_from_authorization
from engine.simulator import Simulator
from engine.timeutil import epoch_seconds

#: ``X-Amz-Target`` is ``SSMContacts.<Operation>``.
TARGET_PREFIX: Final = "SSMContacts"
_REQUEST_IDS: Final = uuid.UUID("5c1c8f0e-3b7a-4d8e-9a51-6f2e0d4b7c10")
_log = logging.getLogger("escsim.http")
T = TypeVar("T")


def body_too_large(size: int) -> RequestEntityTooLargeException:
    """The refusal of a body of ``size`` bytes."""
    return RequestEntityTooLargeException(
        f"The request body is {size} bytes; escsim reads bodies of up to {MAX_BODY_BYTES} bytes"
    )


class Endpoint:
    """Serves one simulator, replaced by a fresh one of the same settings on reset; ``journal``
    keeps accepted changes in a workspace, ``accounts`` requires signed requests."""

    def __init__(
        self,
        simulator: Simulator,
        *,
        clock: ClockMode = VIRTUAL,
        monotonic: Callable[[], float] = time.monotonic,
        journal: WorkspaceJournal | None = None,
        accounts: Accounts | None = None,
        admin: AdminGuard | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        self._simulator = simulator
        self._journal = journal
        self.accounts = accounts
        self.admin = admin if admin is not None else AdminGuard(None, closed=accounts is not None)
        self.rate_limit = rate_limit
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()
        self.clock = clock
        #: Woken after every accepted change: live views wait on it.
        self.changes = Changes()
        factor = clock.factor
        self._pacer = Pacer(factor, simulator.elapsed, monotonic) if factor is not None else None

    @property
    def simulator(self) -> Simulator:
        """The simulator answering now (a new one after each reset)."""
        return self._simulator

    def next_request_id(self) -> str:
        """A request id never given before by this endpoint; the same sequence every run."""
        with self._ids_lock:
            number = next(self._ids)
        return str(uuid.uuid5(_REQUEST_IDS, str(number)))

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request: AWS JSON 1.1 at ``POST /``, control under ``/_escsim/``."""
        route = urlsplit(path).path or "/"
        if route == "/":
            if method != "POST":
                return self.refusal(
                    MethodNotAllowedException(
                        f"ssm-contacts requests are POST /, not {method} /", ("POST",)
                    )
                )
            return self.handle_aws(headers, body, path)
        if route.startswith(control.PREFIX):
            return self._control(method, route, body, headers)
        return self.refusal(
            NotFoundException(
                f"Nothing is served at {route}: ssm-contacts requests are POST /, and the "
                f"simulator is controlled under {control.PREFIX}"
            )
        )

    def handle_aws(self, headers: Mapping[str, str], body: bytes, path: str = "/") -> Reply:
        """Run the ssm-contacts operation named by ``X-Amz-Target`` with the JSON ``body``."""
        request_id = self.next_request_id()
        try:
            fields = {name.lower(): value for name, value in headers.items()}
            if len(body) > MAX_BODY_BYTES:
                raise body_too_large(len(body))
            if self.accounts is not None:
                caller = self.accounts.authenticate("POST", path, headers, body)
                account, region = caller.account, caller.region
            else:
                account = self._simulator.account
                region = region_from_authorization(
                    fields.get("authorization"), self._simulator.region
                )
            if self.rate_limit is not None:
                self.rate_limit.take()
            operation = _operation(fields.get("x-amz-target"))
            params = decode_body(body)
            with self._lock:
                self._keep_pace()
                payload = encode(self._call(operation, params, account, region))
            return success(payload, request_id)
        except InternalServerException as error:  # a bug the service caught: keep its text here
            _log.error("request %s failed: %s", request_id, error, exc_info=error.__cause__)
            return failure(internal_error(request_id), request_id)
        except ServiceError as error:
            return failure(error, request_id)
        except Exception:  # a bug: answer as AWS would, with a 500; the details go to the log
            _log.exception("request %s failed", request_id)
            return failure(internal_error(request_id), request_id)

    def refusal(self, error: ServiceError) -> Reply:
        """The reply refusing a request with ``error``, under a fresh request id."""
        return failure(error, self.next_request_id())

    def _call(
        self, operation: str, params: dict[str, object], account: str, region: str
    ) -> Mapping[str, object]:
        simulator = self._simulator
        try:
            response = simulator.call(operation, params, account=account, region=region)
            if self._journal is not None:
                self._journal.request(simulator, operation, params, account, region)
            if not OPERATIONS[operation].read_only:
                self.changes.notify()
            return response
        except ValidationException as exc:
            if exc.members.get("Reason") != "UNKNOWN_OPERATION":
                raise
            raise ValidationException(
                f"escsim does not implement {operation} yet: it is an ssm-contacts operation, "
                "but this version of escsim cannot answer it",
                "UNKNOWN_OPERATION",
            ) from None

    def _control(self, method: str, route: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        request_id = self.next_request_id()
        try:
            self.admin.check(headers)
            if len(body) > MAX_BODY_BYTES:
                raise body_too_large(len(body))
            payload = encode(control.dispatch(self, method, route, body))
            return success(payload, request_id, PLAIN_JSON)
        except ServiceError as error:
            reply = failure(error, request_id, PLAIN_JSON)
            if error.http_status == 401:  # say how to authenticate, as HTTP asks of a 401
                challenge = ("WWW-Authenticate", 'Bearer realm="escsim control"')
                reply = dataclasses.replace(reply, headers=(*reply.headers, challenge))
            return reply
        except Exception:
            _log.exception("control request %s failed", request_id)
            return failure(internal_error(request_id), request_id, PLAIN_JSON)

    def call(
        self,
        operation: str,
        params: dict[str, object],
        account: str | None = None,
        region: str | None = None,
    ) -> Mapping[str, object]:
        """Run ``operation`` in ``account`` and ``region`` (default: the simulator's own), as a
        request would be (journaled, and announced to live views when it changes something);
        raises ServiceError."""
        with self._lock:
            self._keep_pace()
            simulator = self._simulator
            return self._call(
                operation, params, account or simulator.account, region or simulator.region
            )

    def read(self, reader: Callable[[Simulator], T]) -> T:
        """What ``reader`` finds in the simulator, read while no request runs."""
        with self._lock:
            self._keep_pace()
            return reader(self._simulator)

    def now(self) -> float:
        """The current virtual instant, epoch seconds."""
        with self._lock:
            self._keep_pace()
            return epoch_seconds(self._simulator.now)

    def advance(self, seconds: float | str) -> float:
        """Run the clock forward by ``seconds`` (a number or a duration such as ``15m``)."""
        return self._move(lambda: self._simulator.advance(seconds))

    def advance_to(self, instant: float | str) -> float:
        """Run the clock to ``instant`` (epoch seconds or ISO 8601); never backwards."""
        return self._move(lambda: self._simulator.advance_to(instant))

    def outbox(self) -> Sequence[Mapping[str, object]]:
        """A copy of the outbox, in send order."""
        with self._lock:
            self._keep_pace()
            return list(self._simulator.outbox)

    def events(self) -> Sequence[Mapping[str, object]]:
        """A copy of the event log, in the order things happened."""
        with self._lock:
            self._keep_pace()
            return list(self._simulator.events)

    def _move(self, move: Callable[[], object]) -> float:
        with self._lock:
            self._keep_pace()
            move()
            if self._journal is not None:
                self._journal.clock(self._simulator)
            moved = self._moved()
        self.changes.notify()
        return moved

    def reset(self) -> float:
        """Replace the simulator by an empty one: same seed, start, account, region, settings."""
        try:
            return self._reset()
        finally:
            self.changes.notify()

    def _reset(self) -> float:
        with self._lock:
            if self._journal is not None:
                self._simulator = self._journal.reset()
                return self._moved()
            old = self._simulator
            self._simulator = Simulator(
                seed=old.seed,
                start=old.start,
                account=old.account,
                region=old.region,
                settings=old.knobs,
            )
            return self._moved()

    def _moved(self) -> float:
        # Called with the lock held, after the clock was set explicitly.
        if self._pacer is not None:
            self._pacer.anchor(self._simulator.elapsed)
        return epoch_seconds(self._simulator.now)

    def _keep_pace(self) -> None:
        # Called with the lock held: under a realtime clock, catch up with the wall clock.
        if self._pacer is None:
            return
        due = round(self._pacer.due(), 3)
        if due > self._simulator.elapsed:
            self._simulator.advance_to_elapsed(due)


def _operation(target: str | None) -> str:
    if not target:
        raise UnknownOperationException(
            "The request names no operation: send the header "
            f"X-Amz-Target: {TARGET_PREFIX}.<Operation>"
        )
    prefix, dot, name = target.partition(".")
    if prefix != TARGET_PREFIX or not dot or name not in OPERATIONS:
        raise UnknownOperationException(
            f"Unknown operation {target!r}: the targets served here are "
            f"{TARGET_PREFIX}.<Operation> for the {len(OPERATIONS)} ssm-contacts operations"
        )
    return name


def internal_error(request_id: str) -> InternalServerException:
    """The answer to a request escsim failed on: no detail, only the id that finds it in the log."""
    return InternalServerException(
        f"escsim failed while answering request {request_id}; the server's log has the details"
    )
