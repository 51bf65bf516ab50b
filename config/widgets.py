"""NHS.UK date input: one date asked as three text boxes (day, month, year), with NHS-style error messages.

Use it like any form field; the ``nhsuk`` crispy template pack renders it as the NHS.UK date-input component::

    from config.widgets import DateField

    class ReviewForm(forms.Form):
        review_date = DateField(label="Review date", help_text="For example, 15 3 2025")
        date_of_birth = DateField(label="Date of birth", widget=DateInput(attrs={"autocomplete": "bday"}))

The field cleans to a ``datetime.date``. Messages follow the NHS.UK pattern ("Enter a date",
"Review date must include a year", "Review date must be a real date"); override any of them with
``error_messages={...}``, where ``%(label)s`` is the field's label and ``%(missing)s`` the missing parts.

``MonthField`` (``MonthInput``) asks for a month alone, as month and year boxes, for figures counted by month.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

PARTS = ("day", "month", "year")

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}


class DateInput(forms.MultiWidget):
    """Day, month and year text inputs (``inputmode="numeric"``) for one date.

    Sub-inputs are named ``<name>_day``, ``<name>_month`` and ``<name>_year`` and get the ids
    ``<id>_day``, ``<id>_month`` and ``<id>_year``. ``autocomplete="bday"`` on the widget becomes
    ``bday-day``, ``bday-month`` and ``bday-year`` on the parts.
    """

    # The nhsuk crispy template pack looks for this flag to render the NHS.UK date-input component.
    nhsuk_date_input = True
    part_labels = {"day": "Day", "month": "Month", "year": "Year"}
    part_widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}
        super().__init__(widgets, attrs)
        # Parts named in the last validation error (set by DateField.clean); empty means "the whole date".
        self.error_parts = ()

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return [value.strip() if isinstance(value, str) else value for value in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id")
        autocomplete = widget["attrs"].get("autocomplete")
        for part, subwidget in zip(PARTS, widget["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = self.part_labels[part]
            subwidget["width"] = self.part_widths[part]
            subwidget["has_error"] = part in self.error_parts
            if base_id:
                subwidget["attrs"]["id"] = f"{base_id}_{part}"
            if autocomplete == "bday":
                subwidget["attrs"]["autocomplete"] = f"bday-{part}"
        widget["error_parts"] = list(self.error_parts)
        return context


def _is_number(text):
    return text.isascii() and text.isdigit()


class DateField(forms.DateField):
    """A date entered as day, month and year, cleaned to ``datetime.date`` with NHS.UK error messages."""

    widget = DateInput
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "%(label)s must be a real date",
        "invalid_year": "%(label)s must include a year with 4 numbers",
    }

    def _error(self, code, parts=(), **params):
        params = {"label": capfirst(self.label) if self.label else "The date", **params}
        error = ValidationError(self.error_messages[code], code=code, params=params)
        error.parts = tuple(parts)
        return error

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, list | tuple):
            # A single string (e.g. an ISO date from initial data or an API) falls back to DateField parsing.
            try:
                return super().to_python(value)
            except ValidationError:
                raise self._error("invalid") from None

        padded = [*value, "", "", ""][:3]
        day, month, year = ("" if part is None else str(part).strip() for part in padded)
        if not (day or month or year):
            return None
        missing = [part for part, text in zip(PARTS, (day, month, year), strict=True) if not text]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))

        month = str(MONTH_NAMES.get(month.lower(), month))
        bad = [part for part, text in zip(PARTS, (day, month, year), strict=True) if not _is_number(text)]
        if bad:
            raise self._error("invalid", bad)
        if len(year) != 4:
            raise self._error("invalid_year", ["year"])
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31 February, or a day with 30 digits
            raise self._error("invalid") from None

    def clean(self, value):
        self.widget.error_parts = ()
        try:
            return super().clean(value)
        except ValidationError as error:
            self.widget.error_parts = getattr(error, "parts", ())
            raise


class MonthInput(DateInput):
    """The NHS.UK date input with only month and year boxes (``<name>_month``, ``<name>_year``), for figures counted
    by month. It also accepts one value under the plain name, ``YYYY-MM`` (or a whole ``YYYY-MM-DD``, meaning its
    month), so an address or an API call can say ``?joined_from=2025-04`` while the page shows two boxes."""

    parts = ("month", "year")

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in self.parts}
        forms.MultiWidget.__init__(self, widgets, attrs)
        self.error_parts = ()

    def decompress(self, value):
        if isinstance(value, str):  # the plain YYYY-MM(-DD) of an address, shown again in the boxes
            year, _, rest = value.partition("-")
            month = rest.partition("-")[0]
            return [month.lstrip("0") or month, year] if year and month else [None, None]
        if isinstance(value, datetime.date):
            return [str(value.month), str(value.year)]
        return [None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = forms.MultiWidget.get_context(self, name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id")
        for part, subwidget in zip(self.parts, widget["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = self.part_labels[part]
            subwidget["width"] = self.part_widths[part]
            subwidget["has_error"] = part in self.error_parts
            if base_id:
                subwidget["attrs"]["id"] = f"{base_id}_{part}"
        widget["error_parts"] = list(self.error_parts)
        return context


class MonthField(forms.Field):
    """A month entered as month and year boxes (or ``YYYY-MM``, or a ``YYYY-MM-DD`` meaning its month), cleaned to
    the first day of that month. ``error_name`` is how messages name the field when its label is long (``"The
    start month"``); it defaults to the label."""

    widget = MonthInput
    default_error_messages = {
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "%(label)s must be a month and year, for example 4 2025",
        "invalid_month": "%(label)s must have a month from 1 to 12",
        "invalid_year": "%(label)s must include a year with 4 numbers",
    }

    def __init__(self, *, error_name: str = "", **kwargs):
        self.error_name = error_name
        super().__init__(**kwargs)

    def _error(self, code, parts=(), **params):
        label = self.error_name or (capfirst(self.label) if self.label else "The month")
        error = ValidationError(self.error_messages[code], code=code, params={"label": label, **params})
        error.parts = tuple(parts)
        return error

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        if isinstance(value, str):
            return self._from_text(value.strip())
        month, year = ("" if part is None else str(part).strip() for part in [*(value or ()), "", ""][:2])
        if not (month or year):
            return None
        missing = [part for part, text in (("month", month), ("year", year)) if not text]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        month = str(MONTH_NAMES.get(month.lower(), month))
        if not _is_number(month):
            raise self._error("invalid_month", ["month"])
        if not _is_number(year) or len(year) != 4:
            raise self._error("invalid_year", ["year"])
        if not 1 <= int(month) <= 12:
            raise self._error("invalid_month", ["month"])
        return datetime.date(int(year), int(month), 1)

    def _from_text(self, text: str):
        if not text:
            return None
        pieces = text.split("-")
        if len(pieces) not in (2, 3) or not all(_is_number(piece) for piece in pieces) or len(pieces[0]) != 4:
            raise self._error("invalid")
        if not 1 <= int(pieces[1]) <= 12:
            raise self._error("invalid_month")
        if len(pieces) == 3:
            try:
                datetime.date(int(pieces[0]), int(pieces[1]), int(pieces[2]))
            except ValueError:
                raise self._error("invalid") from None
        return datetime.date(int(pieces[0]), int(pieces[1]), 1)

    def clean(self, value):
        self.widget.error_parts = ()
        try:
            return super().clean(value)
        except ValidationError as error:
            self.widget.error_parts = getattr(error, "parts", ())
            raise
