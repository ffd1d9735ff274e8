"""The Terraform organisation source: ``read(path, options)`` -> one scenario without steps.

``path`` is the JSON of ``terraform show -json`` (a plan or a state: a file named ``*.json`` or
whose text starts with ``{``), a ``.tf`` file, or a directory of them (every ``*.tf`` in it,
not below it). What is read: ``aws_ssmcontacts_contact``, ``aws_ssmcontacts_contact_channel``,
``aws_ssmcontacts_plan``, ``aws_ssmcontacts_rotation`` and, in a plan or state, their data
sources. Every other resource type, output, module call and setting is ignored without a word:
it does not page anyone. docs/sources-terraform.md says what is read and what is not.

Channels: AWS creates the channels Terraform declares unactivated; with ``channels="intended"``
(the default) they are read as activated, with ``"as-deployed"`` as not activated (a state's
recorded status where it has one). :func:`channel_note` is the sentence a front end prints
once about it; the scenario's ``description`` carries it too.

Every problem names the file, the line, the Terraform address and the attribute
(``main.tf:14: aws_ssmcontacts_plan.lead.stage[0].duration_in_minutes: ...``); when a
directory is read the address is preceded by the file's name (``contacts.tf:aws_...``).
"""

from __future__ import annotations

from pathlib import Path

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.loader import Scenario
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.sources.options import SourceOptions
from engine.sources.terraform_files import TfFiles, read_files
from engine.sources.terraform_json import JsonDocument, provider_region, read_json
from engine.sources.terraform_model import TfResource, Value
from engine.sources.terraform_shapes import build_organisation

__all__ = ["channel_note", "is_terraform", "read"]

#: A .tf file or plan larger than this is refused rather than read (a plan of 10,000
#: contacts is about 20 MB).
MAX_BYTES = 256 * 1024 * 1024


def channel_note(options: SourceOptions) -> str:
    """What a front end says once about the channels of a Terraform source."""
    if options.channels == "intended":
        return (
            "channels declared in Terraform are read as activated (what the team intends); "
            "AWS creates them unactivated until each person activates theirs "
            "(--channels as-deployed reads them so)"
        )
    return (
        "channels declared in Terraform are read as not activated, as AWS creates them "
        "(a state's recorded status where it has one)"
    )


def is_terraform(path: str) -> bool:
    """Whether ``path`` reads as Terraform: a directory, a ``.tf`` file, or the JSON of
    ``terraform show -json`` (a document with ``format_version`` at its top)."""
    where = Path(path)
    if where.is_dir() or where.suffix == ".tf":
        return True
    try:
        with where.open("rb") as stream:
            head = stream.read(4096).lstrip()
    except OSError:
        return False
    return head.startswith(b"{") and b'"format_version"' in head


def read(path: str, options: SourceOptions) -> list[Scenario]:
    """The organisation at ``path`` as one scenario without steps. Raises ScenarioError
    naming file, line, address and attribute of every problem."""
    where = Path(path)
    account = options.account or DEFAULT_ACCOUNT
    if where.is_dir():
        texts = {file: _text(file) for file in sorted(where.glob("*.tf")) if file.is_file()}
        if not texts:
            raise ScenarioError(path, [Problem((), "the directory holds no .tf files")])
        return [_from_files(where, texts, options, account)]
    text = _text(where)
    if where.suffix == ".json" or text.lstrip().startswith("{"):
        document = JsonDocument(text, path)
        region = options.region or provider_region(document.data) or DEFAULT_REGION
        resources, problems = read_json(document, account, region)
        return [_scenario(path, resources, problems, options, account, region)]
    return [_from_files(where, {where: text}, options, account)]


def _from_files(
    where: Path, texts: dict[Path, str], options: SourceOptions, account: str
) -> Scenario:
    files = TfFiles(where, texts)
    resources, own_region, problems = read_files(
        files, options.variables, account, options.region or None
    )
    region = options.region or own_region or DEFAULT_REGION
    return _scenario(str(where), resources, problems, options, account, region)


def _scenario(
    file: str,
    resources: list[TfResource],
    problems: list[Problem],
    options: SourceOptions,
    account: str,
    region: str,
) -> Scenario:
    if problems:
        raise ScenarioError(file, _ordered(problems))
    organisation, found = build_organisation(resources, options.channels)
    if found:
        raise ScenarioError(file, _ordered(found))
    data: dict[str, Value] = {}
    lines: dict[FieldPath, int] = {}
    for resource in resources:
        data[resource.root] = resource.values
        for path, line in resource.lines.items():
            lines[(resource.root, *path)] = line
    return Scenario(
        file=file,
        name=Path(file).name,
        description="",
        start=None,
        seed=0,
        account=account,
        region=region,
        settings={},
        organisation=organisation,
        responders=[],
        steps=[],
        source=Source(file, data, lines),
        path=(),
        notes=(channel_note(options),),
    )


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in the order of the files: by file (when a directory was read, the
    name before the address), then line."""

    def place(problem: Problem) -> tuple[str, int]:
        root = str(problem.path[0]) if problem.path else ""
        file, colon, _ = root.partition(":")
        # Problems of the command line (--var) have no line: they come after the files'.
        return (file if colon and file.endswith(".tf") else "", problem.line or 1 << 62)

    seen: dict[tuple[object, ...], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.message), problem)
    return sorted(seen.values(), key=place)


def _text(file: Path) -> str:
    name = str(file)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise ScenarioError(name, [Problem((), f"larger than {MAX_BYTES} bytes")])
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(name, [Problem((), "no such file or directory")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(name, [Problem((), f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError(name, [Problem((), f"cannot read: {exc.strerror}")]) from None
