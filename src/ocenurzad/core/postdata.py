"""The body of a form POST, parsed as Django parses it — in a fraction of the time.

``QueryDict(body)`` appends every field through three layers of method calls that check
mutability and copy lists, after ``parse_qsl`` has called ``unquote`` twice per field;
for a survey of ~25 fields that was about a tenth of a millisecond of every submission.
Here ``parse_qsl``'s steps (as QueryDict calls it: blank values kept, ``&`` only,
UTF-8 with replacement, the same field limit and decoding fallback) fill the dict of
lists at once, unquoting only what has a ``%`` or ``+`` in it; a property test holds the
result equal to Django's. Only plain UTF-8
``application/x-www-form-urlencoded`` POSTs are parsed here; anything else (multipart
uploads, other charsets, GET) is left to Django, which will parse it when it is read.
"""

from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict

URLENCODED = "application/x-www-form-urlencoded"


def parse_urlencoded_post(request) -> None:
    """Give ``request.POST`` the parsed body, if it is an urlencoded UTF-8 form POST.

    Raises what reading ``request.POST`` would: RequestDataTooBig
    (DATA_UPLOAD_MAX_MEMORY_SIZE) and TooManyFieldsSent (DATA_UPLOAD_MAX_NUMBER_FIELDS),
    both answered by Django with 400.
    """
    if request.method != "POST" or request.content_type != URLENCODED:
        return
    if request.encoding is not None and request.encoding.lower() != "utf-8":
        return  # Django refuses it with 400 when POST is read
    request.POST = urlencoded_querydict(request.body)


def urlencoded_querydict(body: bytes) -> QueryDict:
    """An immutable QueryDict equal to ``QueryDict(body, encoding="utf-8")``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")  # as QueryDict does with misbehaving agents
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is not None and (text.count("&") + 1 if text else 0) > limit:
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
        )
    lists: dict[str, list[str]] = {}
    for field in text.split("&"):
        if not field:
            continue
        # parse_qsl's own steps, with its unquoting skipped where there is nothing to undo
        name, _eq, value = field.partition("=")
        if "%" in name or "+" in name:
            name = unquote(name.replace("+", " "), encoding="utf-8", errors="replace")
        if "%" in value or "+" in value:
            value = unquote(value.replace("+", " "), encoding="utf-8", errors="replace")
        values = lists.get(name)
        if values is None:
            lists[name] = [value]
        else:
            values.append(value)
    data = QueryDict(encoding="utf-8")
    dict.update(data, lists)  # QueryDict keeps a list per key; immutable from here on
    return data
