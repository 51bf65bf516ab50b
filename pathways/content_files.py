"""Starter content files: one Markdown file per item, its structured fields in YAML front matter.

    ---
    title: Chief Registrar programme
    professions: [doctor]
    ---
    ## What it involves
    ...

The file's name is the item's slug. Each app's `content/README.md` says which fields its items take. Every problem
is reported as a ContentError naming the file, so an editor's typo fails the load with a message they can act on.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

# libyaml's loader when PyYAML was built with it (it parses in C); the same safe subset either way.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<fields>.*?)^---[ \t]*\n?(?P<body>.*)\Z", re.DOTALL | re.MULTILINE)


class ContentError(Exception):
    """A starter content file that cannot be loaded."""


@dataclass(frozen=True)
class Field:
    """What one front-matter field holds: a type, and for text or lists of text the codes it may use."""

    kind: type = str
    choices: Iterable[str] = ()
    required: bool = True


@dataclass(frozen=True)
class ContentFile:
    path: Path
    slug: str
    fields: dict
    body: str

    @property
    def name(self) -> str:
        """The file's path as an editor knows it, from the project's root."""
        path = self.path.resolve()
        return str(path.relative_to(settings.BASE_DIR)) if path.is_relative_to(settings.BASE_DIR) else str(path)

    def error(self, message: str) -> ContentError:
        return ContentError(f"{self.name}: {message}")

    def checked(self, schema: dict[str, Field], fields: dict | None = None, where: str = "") -> dict:
        """The front matter (or `fields`, a part of it that `where` names), every field checked against `schema`;
        optional fields left out or left empty are absent."""
        fields = self.fields if fields is None else fields
        if not isinstance(fields, dict):
            raise self.error(f"{where}must be fields (name: value), one a line")
        unknown = sorted(map(str, fields.keys() - schema.keys()))
        if unknown:
            raise self.error(f"{where}unknown field {', '.join(unknown)} (the fields are {', '.join(schema)})")
        missing = [name for name, field in schema.items() if field.required and name not in fields]
        if missing:
            raise self.error(f"{where}missing field {', '.join(missing)}")
        for name, value in fields.items():
            self._check(f"{where}{name}", value, schema[name])
        return {name: value for name, value in fields.items() if value is not None}

    def _check(self, name: str, value, field: Field) -> None:
        if value is None and not field.required:
            return
        # bool is an int to Python, but "places: yes" is a mistake, not 1.
        if not isinstance(value, field.kind) or (field.kind is int and isinstance(value, bool)):
            raise self.error(f"{name} must be {_KIND_WORDS[field.kind]}, not {value!r}")
        if field.kind is str and not value.strip():
            raise self.error(f"{name} is empty")
        items = value if field.kind is list else [value]
        allowed = set(field.choices)
        if not allowed:
            return
        if not all(isinstance(item, str) for item in items):
            raise self.error(f"{name} must be a list of codes, not {value!r}")
        wrong = [item for item in items if item not in allowed]
        if wrong:
            raise self.error(f"{name}: {', '.join(wrong)} is not one of {', '.join(sorted(allowed))}")


_KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list"}


def content_file_read(path: Path) -> ContentFile:
    item = ContentFile(path=path, slug=path.stem, fields={}, body="")
    if not SLUG.match(path.stem):
        raise item.error("the file name is the slug: lower-case letters, digits and hyphens, then .md")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise item.error(f"cannot be read ({error})") from error
    match = FRONT_MATTER.match(text)
    if match is None:
        raise item.error("must start with YAML front matter between two lines of ---")
    try:
        fields = yaml.load(match["fields"], Loader=YAML_LOADER) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise item.error(f"the front matter is not valid YAML: {error}") from error
    if not isinstance(fields, dict):
        raise item.error("the front matter must be fields (name: value), one a line")
    body = match["body"].strip()
    if not body:
        raise item.error("has no Markdown text after the front matter")
    return ContentFile(path=path, slug=path.stem, fields=fields, body=body)


def content_folder_read(folder: Path) -> list[ContentFile]:
    """Every item of a folder, in the order of their slugs."""
    if not folder.is_dir():
        raise ContentError(f"{folder}: the starter content folder is missing")
    return [content_file_read(path) for path in sorted(folder.glob("*.md"))]
