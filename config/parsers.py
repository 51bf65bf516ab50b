"""The API's parsers (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), what every view reads its body with, so no
field has to guard itself: JSON nested deeper than API_JSON_MAX_DEPTH is a 400, and so is a control character anywhere
in a body, named by its top-level field. The body's size is bounded before it is read (config.hostile_input).

Apart from config.api because DRF loads the parsers while it defines its APIView, which config.api needs.
"""

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.settings import api_settings

from config.hostile_input import CONTROL_CHARACTERS_MESSAGE, field_with_control_characters, has_control_characters


def too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(f"The JSON is nested more than {settings.API_JSON_MAX_DEPTH} levels deep.")


def control_characters(field) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [CONTROL_CHARACTERS_MESSAGE]})


def check_json(data) -> None:
    """Walk the parsed body without recursion, so no depth of it can exhaust the stack."""
    max_depth = settings.API_JSON_MAX_DEPTH
    # (value, its depth, the top-level field it is under)
    pending = [(data, 0, api_settings.NON_FIELD_ERRORS_KEY)]
    while pending:
        value, depth, field = pending.pop()
        if isinstance(value, str):
            if has_control_characters(value):
                raise control_characters(field)
        elif isinstance(value, dict | list):
            if depth + 1 > max_depth:
                raise too_deep()
            items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
            for key, item in items:
                under = key if depth == 0 and isinstance(value, dict) else field
                if key is not None and has_control_characters(key):
                    raise control_characters(under)
                pending.append((item, depth + 1, under))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep() from None
        check_json(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if (field := field_with_control_characters(data)) is not None:
            raise control_characters(field)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data_and_files = super().parse(stream, media_type, parser_context)
        if (field := field_with_control_characters(data_and_files.data)) is not None:
            raise control_characters(field)
        return data_and_files
