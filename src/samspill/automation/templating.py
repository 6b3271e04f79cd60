"""{{ placeholders }} in e-mails and action parameters, rendered with Django's template
engine in a sandbox: the context is the event's payload (plain JSON values) and nothing
else, and only harmless tags exist (no include/extends/load/debug/url/csrf_token), so a
rule author can neither read templates or settings nor call into the application."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.utils.translation import gettext as _

from samspill.platform.errors import ValidationFailed

SAFE_TAGS = {
    "autoescape",
    "comment",
    "cycle",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "now",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "verbatim",
    "widthratio",
    "with",
}
MAX_TEMPLATE_LENGTH = 20_000

register = Library()
register.tags = {name: tag for name, tag in defaulttags.register.tags.items() if name in SAFE_TAGS}
register.filters = dict(defaultfilters.register.filters)


class SandboxEngine(Engine):
    default_builtins = ["samspill.automation.templating"]


@lru_cache(maxsize=1)
def engine() -> Engine:
    # No loaders: {% include %} and {% extends %} do not exist; no libraries: no {% load %}.
    return SandboxEngine(loaders=[], libraries={}, autoescape=False, string_if_invalid="")


def has_placeholders(text: Any) -> bool:
    return isinstance(text, str) and ("{{" in text or "{%" in text)


def check(text: str, field: str = "template") -> None:
    """Raise ValidationFailed (keyed by `field`) if the template does not compile."""
    if len(text) > MAX_TEMPLATE_LENGTH:
        raise ValidationFailed(
            _("The text is too long (at most %(n)s characters).") % {"n": MAX_TEMPLATE_LENGTH},
            errors={field: [_("At most %(n)s characters.") % {"n": MAX_TEMPLATE_LENGTH}]},
        )
    try:
        engine().from_string(text)
    except TemplateSyntaxError as exc:
        message = _("The placeholders are not valid: %(error)s") % {"error": exc}
        raise ValidationFailed(message, errors={field: [message]}) from exc


def render(text: str, payload: dict[str, Any]) -> str:
    """The text with its placeholders filled from the payload."""
    if not has_placeholders(text):
        return text
    # A copy: the template language calls methods without arguments ({{ data.clear }}),
    # which must not change the event that other actions and rules still read.
    context = Context(copy.deepcopy(dict(payload)), autoescape=False)
    return engine().from_string(text).render(context)
