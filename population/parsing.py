"""Reading an eligible-population CSV (the format is in docs/eligible-population.md): every line checked before
anything is loaded, and every problem reported with the line it is on, so an editor can fix the file in one go.

Nothing here trusts the file: it may not be text, may hold NUL bytes or one enormous line, or cells that a
spreadsheet would run as formulas. Each of those is a problem in words, never an exception.
"""

import csv
import re
from dataclasses import dataclass

from config.hostile_input import has_control_characters
from pipeline.selectors.figures import EQUALITY_ATTRIBUTES
from regulators.models import Profession

HEADER = ("profession", "region", "attribute", "group", "count")
# A file of every profession, region and group is about 300 KB; the request itself may not exceed 1 MB.
MAX_BYTES = 512 * 1024
MAX_LINE_CHARACTERS = 500
# Larger than any UK register (the NMC's, the largest, holds under a million people).
MAX_COUNT = 10_000_000
# Problems listed before the rest are summed up: a file wrong throughout needs fixing at its source, not line by line.
MAX_PROBLEMS = 100
NOT_ANSWERED = "not_answered"

WHOLE_NUMBER = re.compile(r"-?[0-9]+")
GROUPS: dict[str, dict[str, str]] = {
    attribute: {(code or NOT_ANSWERED): code for code, _ in choices}
    for attribute, (_, choices) in EQUALITY_ATTRIBUTES.items()
}


@dataclass(frozen=True)
class CountLine:
    profession: str
    region_id: int
    attribute: str
    group: str  # the service's answer code: empty for not answered
    count: int


class FileProblems(Exception):
    """The file cannot be loaded; `problems` says why, line by line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


def _quoted(value: str) -> str:
    return f'"{value[:40]}…"' if len(value) > 40 else f'"{value}"'


def _physical_lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    return [line.removesuffix(b"\r") for line in lines]


def _values(text: str) -> list[str] | None:
    try:
        return next(csv.reader([text], strict=True))
    except (csv.Error, StopIteration):
        return None


def parse_eligible_population(*, data: bytes, file_name: str, regions: dict[str, int]) -> list[CountLine]:
    """The file's lines of counts, or FileProblems naming every line that is wrong. `regions` maps region slugs to
    their ids."""
    if not file_name.lower().endswith(".csv"):
        raise FileProblems(["The selected file must be a CSV (its name ending .csv)"])
    if len(data) > MAX_BYTES:
        raise FileProblems([f"The selected file must be smaller than {MAX_BYTES // 1024} KB"])
    if not data.strip():
        raise FileProblems(["The selected file is empty"])

    problems: list[str] = []
    texts: list[tuple[int, str]] = []
    for number, raw in enumerate(_physical_lines(data.removeprefix(b"\xef\xbb\xbf")), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"Line {number} is not UTF-8 text: save the file as CSV UTF-8")
            continue
        if has_control_characters(text):
            problems.append(f"Line {number} contains control characters such as NUL, which have no place in a CSV file")
        elif len(text) > MAX_LINE_CHARACTERS:
            problems.append(f"Line {number} is longer than {MAX_LINE_CHARACTERS} characters")
        elif text.strip():
            texts.append((number, text))
    if problems and (not texts or texts[0][0] != 1):
        # Binary or garbled from the start: the rest of the report would only repeat it.
        raise FileProblems(_capped(problems))

    if not texts:
        raise FileProblems(["The selected file is empty"])
    header_number, header_text = texts[0]
    header = _values(header_text)
    if header_number != 1 or header is None or tuple(value.strip().lower() for value in header) != HEADER:
        raise FileProblems(
            [f'Line 1 must be the header "{",".join(HEADER)}", not {_quoted(texts[0][1].strip())}', *problems]
        )
    if len(texts) == 1 and not problems:
        raise FileProblems(["The file has a header but no lines of counts after it"])

    lines: list[CountLine] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, text in texts[1:]:
        values = _values(text)
        if values is None:
            problems.append(f"Line {number} is not valid CSV: check its quotation marks")
            continue
        if len(values) != len(HEADER):
            problems.append(
                f"Line {number} has {len(values)} values: it needs {len(HEADER)} (profession, region, attribute, "
                "group, count)"
            )
            continue
        profession, region, attribute, group, count = (value.strip() for value in values)
        line_problems = []
        profession_code = profession.lower()
        if profession_code not in Profession.values:
            line_problems.append(f"{_quoted(profession)} is not a profession code")
        region_id = regions.get(region.lower())
        if region_id is None:
            line_problems.append(f"{_quoted(region)} is not a region code")
        attribute_code = attribute.lower()
        group_code = group.lower()
        if attribute_code not in GROUPS:
            line_problems.append(f"{_quoted(attribute)} is not an equality attribute")
        elif group_code not in GROUPS[attribute_code]:
            line_problems.append(f"{_quoted(group)} is not a group of {attribute_code}")
        number_value = None
        if not WHOLE_NUMBER.fullmatch(count):
            line_problems.append(f"the count {_quoted(count)} is not a whole number")
        elif (number_value := int(count)) < 0:
            line_problems.append(f"the count {_quoted(count)} is negative")
        elif number_value > MAX_COUNT:
            line_problems.append(f"the count {_quoted(count)} is more than {MAX_COUNT:,}")
        if line_problems:
            problems.append(f"Line {number}: {'; '.join(line_problems)}")
            continue
        key = (profession_code, region.lower(), attribute_code, group_code)
        if key in seen:
            problems.append(f"Line {number} repeats line {seen[key]} ({', '.join(key)})")
            continue
        seen[key] = number
        lines.append(
            CountLine(
                profession=profession_code,
                region_id=region_id,
                attribute=attribute_code,
                group=GROUPS[attribute_code][group_code],
                count=number_value,
            )
        )
    if problems:
        raise FileProblems(_capped(problems))
    return lines


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"… and {len(problems) - MAX_PROBLEMS} more problems"]
