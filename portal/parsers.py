"""A JSON parser whose every failure is a 400 with a translated message."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's parser, but deep nesting (``[[[[…``) is a 400, not a ``RecursionError`` and a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        except ParseError as exc:
            # DRF's message is English only ("JSON parse error - …"); keep its detail for developers.
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc.detail}) from None
