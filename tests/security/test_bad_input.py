"""Bad input: arbitrary text, bytes, types and shapes at every public entrance.

Properties, checked with generated input at the web form (POST /submit/), the
JSON API (POST /api/v1/submissions/, GET /api/v1/submissions/<n>/) and
Open311 (POST requests.json/.xml, GET requests/services with odd parameters):

* never a server error;
* a 4xx answer says what is wrong (field → messages for validation);
* nothing is saved when the answer is an error;
* an accepted submission stores the text as sent (form fields strip
  surrounding whitespace; NUL and unpaired surrogates are rejected, see
  ``portal.cleaning``), and the pages show it escaped.

Below the properties, one focused regression test per bug these found.
"""

from __future__ import annotations

import html
import json
import os
import string
import xml.etree.ElementTree as ElementTree
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.cleaning import case_text_normalised

# Each property gets a bounded budget so the whole file stays well under a minute;
# BAD_INPUT_EXAMPLES=300 for a longer hunt.
BUDGET = hypothesis_settings(
    max_examples=int(os.environ.get("BAD_INPUT_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every plane, control characters, NUL, lone surrogates, and characters that break naive HTML/XML/JSON.
NASTY = ["\x00", "\ud800", "\udfff", "\x0b", "\x1b", "\u2028", "\u202e", "\ufeff", "\uffff", "\U0010ffff", "<", "&"]
ANY_CHAR = st.one_of(
    st.characters(exclude_categories=()),  # includes Cs: lone surrogates
    st.characters(min_codepoint=0x10000),  # astral planes
    st.characters(max_codepoint=0x1F),  # C0 controls incl. NUL
    st.sampled_from(NASTY),
)
ANY_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.builds(lambda char, n: char * n, ANY_CHAR, st.integers(100, 6000)),  # very long
)
# Text a browser can send (UTF-8 encodable).
ENCODABLE_NASTY = [char for char in NASTY if not "\ud800" <= char <= "\udfff"]
BROWSER_TEXT = st.one_of(
    st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(ENCODABLE_NASTY)), max_size=80),
    st.builds(lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(100, 300)),
)
URL_TEXT = st.text(ANY_CHAR, max_size=40)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
JSON_VALUES = st.recursive(
    JSON_SCALARS | st.text(ANY_CHAR, max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
TEXT_FIELDS = ["title", "text", "address", "name"]
FORM_FIELDS = ["kind", "category", "title", "text", "district", "address", "latitude", "longitude", "name", "phone"]
FORM_FIELDS += ["email", "is_anonymous", "may_publish", "client_token", "website"]


# Open311 answers a created request with 200, as older GeoReport clients expect.
OPEN311_CREATED = 200


def url_encoded(value: str) -> str:
    """Percent-encoded UTF-8; a lone surrogate becomes the invalid bytes a client could send."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def unstorable(value: str) -> bool:
    return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)


@pytest.fixture
def bare(db, settings, tmp_path):
    """A local cache for rate counters, and rates out of the way: for errors answered before any lookup."""
    from django.core.cache import cache

    from feedback.forms import CachedCodeChoiceField

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bad"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MINSHENG = {**settings.MINSHENG, "SUBMIT_RATE_PER_HOUR": 10**6, "TRACK_RATE_PER_HOUR": 10**6}
    CachedCodeChoiceField.forget()
    cache.clear()


@pytest.fixture
def setup(city, bare):
    """The demo city too."""


@pytest.fixture
def open311_key(setup) -> str:
    from open311.services import api_key_create

    return api_key_create(name="bad input", rate_limit_per_minute=10**6)[1]


def valid_submission(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "title": "路灯不亮",
        "text": "幸福路 88 号门口的路灯坏了一周。",
        "district": "dongcheng",
        "is_anonymous": True,
    }
    data.update(overrides)
    return data


def count() -> int:
    from feedback.models import Submission

    return Submission.objects.count()


def post_json(client: Client, body, path="/api/v1/submissions/"):
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)  # json escapes surrogates as \ud800
    return client.post(path, raw, content_type="application/json")


def assert_api_error(response, before: int) -> dict:
    """A 4xx in the API's one error shape, and nothing saved."""
    assert 400 <= response.status_code < 500, response.content[:500]
    body = response.json()
    assert body["detail"] and body["code"]
    if response.status_code == 400 and body["code"] == "invalid":
        assert body["errors"], "a validation error names the fields"
        assert all(isinstance(messages, list) and all(messages) for messages in body["errors"].values())
    assert count() == before
    return body


def assert_open311_error(response, before: int, fmt: str = "json") -> str:
    assert 400 <= response.status_code < 500, response.content[:500]
    if fmt == "xml":
        root = ElementTree.fromstring(response.content)
        assert root.tag == "errors"
        description = root.find("error/description").text
    else:
        (error,) = response.json()
        assert error["code"] == response.status_code
        description = error["description"]
    assert description
    assert count() == before
    return description


# ---- the JSON API -----------------------------------------------------------


@BUDGET
@given(field=st.sampled_from(TEXT_FIELDS), value=ANY_TEXT)
def test_json_api_stores_arbitrary_text_as_sent_or_names_the_field(setup, field, value):
    from feedback.models import Submission

    client, before = Client(), count()
    # Not anonymous: an anonymous submission drops the name by design.
    response = post_json(client, {**valid_submission(is_anonymous=False, phone="13812345678"), field: value})
    assert response.status_code != 500
    if response.status_code == 201:
        created = response.json()
        stored = getattr(Submission.objects.get(tracking_number=created["tracking_number"]), field)
        # As sent; a title or text also loses its bidi controls (portal.cleaning.case_text_normalised).
        assert stored == (case_text_normalised(value.strip()) if field in ("title", "text") else value.strip())
        assert not unstorable(value)
        if field == "title":  # and the citizen's app reads back exactly that
            detail = client.get(
                f"/api/v1/submissions/{created['tracking_number']}/", HTTP_X_TRACKING_SECRET=created["secret"]
            )
            assert detail.json()["title"] == stored
    else:
        body = assert_api_error(response, before)
        assert field in body["errors"], body
        if unstorable(value):
            assert not value.strip() or body["errors"][field] != []


@BUDGET
@given(field=st.sampled_from(FORM_FIELDS), value=JSON_VALUES)
def test_json_api_wrong_types_are_field_errors_never_stored_as_their_repr(setup, field, value):
    from feedback.models import Submission

    client, before = Client(), count()
    response = post_json(client, {**valid_submission(is_anonymous=False, phone="13812345678"), field: value})
    assert response.status_code != 500
    if isinstance(value, (list, dict)):
        body = assert_api_error(response, before)
        assert field in body["errors"]
    elif response.status_code == 201 and field in TEXT_FIELDS:
        stored = getattr(Submission.objects.get(tracking_number=response.json()["tracking_number"]), field)
        sent = "" if value is None else value if isinstance(value, str) else json.dumps(value)  # null is absent
        assert stored == sent.strip()
    elif response.status_code != 201:
        assert_api_error(response, before)


@BUDGET
@given(body=JSON_VALUES.filter(lambda value: not isinstance(value, dict)))
def test_json_api_non_object_bodies_are_400(setup, body):
    before = count()
    response = post_json(Client(), body)
    assert_api_error(response, before)
    assert response.status_code == 400


@BUDGET
@given(raw=st.binary(max_size=200))
def test_json_api_invalid_json_or_utf8_is_400(setup, raw):
    before = count()
    response = post_json(Client(), raw)
    assert response.status_code == 400 or response.status_code == 201, response.content[:300]
    if response.status_code == 400:
        assert_api_error(response, before)


@BUDGET
@given(missing=st.sets(st.sampled_from(["kind", "title", "text", "district", "is_anonymous"]), min_size=1))
def test_json_api_missing_fields_are_named(setup, missing):
    before = count()
    body = {k: v for k, v in valid_submission().items() if k not in missing}
    errors = assert_api_error(post_json(Client(), body), before)["errors"]
    for field in missing - {"is_anonymous"}:
        assert field in errors
    if missing == {"is_anonymous"}:
        assert "phone" in errors  # no contact and not anonymous


@BUDGET
@given(
    number=st.text(ANY_CHAR, min_size=1, max_size=40).filter(lambda n: "/" not in n),
    secret=st.text(st.characters(max_codepoint=0xFF), max_size=80),  # headers are Latin-1
)
def test_json_api_detail_with_any_number_and_secret_is_404(setup, number, secret):
    path = f"/api/v1/submissions/{url_encoded(number)}/"
    response = Client().get(path, HTTP_X_TRACKING_SECRET=secret)
    assert response.status_code in (400, 404), response.content[:300]
    assert response.json()["detail"]


# ---- the web form ---------------------------------------------------------------


@BUDGET
@given(title=BROWSER_TEXT, text=BROWSER_TEXT, address=BROWSER_TEXT)
def test_web_form_stores_text_as_typed_and_the_tracking_page_escapes_it(setup, title, text, address):
    from feedback.models import Submission

    client, before = Client(), count()
    marked = f"<i>{title}</i>"[:120]
    response = client.post("/submit/", valid_submission(title=marked, text=text, address=address, is_anonymous="on"))
    assert response.status_code in (302, 400), response.content[:300]
    if response.status_code == 400:
        assert count() == before
        assert b'class="errorlist' in response.content or b"error" in response.content
        return
    case = Submission.objects.latest("pk")
    expected = (case_text_normalised(marked.strip()), case_text_normalised(text.strip()), address.strip())
    assert (case.title, case.text, case.address) == expected
    page = client.get(f"/track/{case.tracking_number}/").content.decode()
    assert f"<h1>{html.escape(case.title)}</h1>" in page
    assert "<i>" not in page


@BUDGET
@given(
    page=st.sampled_from(["/board/", "/track/", "/submit/", "/"]),
    params=st.dictionaries(st.sampled_from(["q", "category", "district", "department", "page", "n", "lang"]), URL_TEXT),
)
def test_citizen_pages_with_odd_query_parameters_never_500(setup, page, params):
    query = "&".join(
        f"{name}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}" for name, value in params.items()
    )
    response = Client().get(f"{page}?{query}")
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert "\x00" in "".join(params.values()) and response.content.decode() == "地址中含有空字符。"


@BUDGET
@given(number=BROWSER_TEXT, secret=BROWSER_TEXT)
def test_tracking_lookup_with_any_text_is_a_404_or_a_field_error(setup, number, secret):
    response = Client().post("/track/", {"tracking_number": number, "secret": secret})
    assert response.status_code in (400, 404), response.content[:300]
    content = response.content.decode()
    assert "errorlist" in content or "没有与该受理编号和查询密码相符的诉求" in content or response.status_code == 404


def raw_form_body(fields: dict[str, bytes]) -> bytes:
    return b"&".join(quote(k).encode() + b"=" + v for k, v in fields.items())


@BUDGET
@given(title=st.binary(min_size=1, max_size=100), text=st.binary(min_size=1, max_size=300), multipart=st.booleans())
def test_web_form_with_broken_utf8_never_500_and_stores_the_replacement(setup, title, text, multipart):
    from feedback.models import Submission

    fields = {"kind": b"complaint", "district": b"dongcheng", "is_anonymous": b"on", "title": title, "text": text}
    if multipart:
        boundary = "BoUnDaRy"
        parts = [
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary.encode(), k.encode(), v)
            for k, v in fields.items()
        ]
        body = b"".join(parts) + b"--%s--\r\n" % boundary.encode()
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        body = raw_form_body({k: v.replace(b"&", b"%26").replace(b"=", b"%3D") for k, v in fields.items()})
        content_type = "application/x-www-form-urlencoded"
    before = count()
    response = Client().generic("POST", "/submit/", body, content_type=content_type)
    assert response.status_code in (302, 400), response.content[:300]
    if response.status_code == 400:
        assert count() == before
    else:
        case = Submission.objects.latest("pk")
        assert "\x00" not in case.title + case.text
        if multipart and b"\r" not in title and b"\n" not in title:
            assert case.title == case_text_normalised(title.decode("utf-8", "replace").strip())


def test_web_form_duplicated_fields_take_the_last_value(setup):
    from feedback.models import Submission

    body = "kind=complaint&district=dongcheng&is_anonymous=on&text=x&title=first&title=second"
    response = Client().generic("POST", "/submit/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Submission.objects.latest("pk").title == "second"


# ---- Open311 -------------------------------------------------------------------

OPEN311_TEXT_FIELDS = ["description", "address_string", "first_name", "last_name", "service_code", "api_key"]
OPEN311_FIELDS = OPEN311_TEXT_FIELDS + ["lat", "long", "email", "phone", "media_url", "jurisdiction_id", "attribute"]


def open311_body(key: str, **overrides) -> dict:
    # may_publish: the citizen consents, so GET requests shows the case (Open311 keeps it private otherwise).
    body = {"api_key": key, "service_code": "city.garbage", "address_string": "东城区人民路 1 号"}
    body["may_publish"] = "true"
    body.update(overrides)
    return body


@BUDGET
@given(
    field=st.sampled_from(OPEN311_FIELDS),
    value=st.one_of(ANY_TEXT, JSON_VALUES),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_open311_json_post_never_500_and_stores_the_description_as_sent(open311_key, field, value, fmt):
    from feedback.models import Submission

    client, before = Client(), count()
    response = post_json(client, open311_body(open311_key, **{field: value}), path=f"/open311/v2/requests.{fmt}")
    assert response.status_code != 500, response.content[:300]
    if response.status_code == OPEN311_CREATED:
        if fmt == "xml":
            number = ElementTree.fromstring(response.content).find("request/service_request_id").text
        else:
            number = response.json()[0]["service_request_id"]
        case = Submission.objects.get(tracking_number=number)
        if field == "description" and isinstance(value, str) and value.strip():
            # Stored as sent, less the bidirectional controls (portal.cleaning.case_text_normalised).
            assert case.text.startswith(case_text_normalised(value.strip()))
        listing = client.get(f"/open311/v2/requests.xml?service_request_id={number}")
        assert ElementTree.fromstring(listing.content).find("request/service_request_id").text == number
    else:
        assert_open311_error(response, before, fmt)


@BUDGET
@given(values=st.dictionaries(st.sampled_from(OPEN311_FIELDS[:-1]), st.binary(max_size=60), max_size=4))
def test_open311_form_post_with_raw_bytes_never_500(open311_key, values):
    fields = {"api_key": open311_key.encode(), "service_code": b"city.garbage", "address_string": b"x"}
    fields.update({k: v.replace(b"&", b"%26").replace(b"=", b"%3D") for k, v in values.items()})
    before = count()
    response = Client().generic(
        "POST", "/open311/v2/requests.json", raw_form_body(fields), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code != 500, response.content[:300]
    if response.status_code != OPEN311_CREATED:
        assert_open311_error(response, before)


ATTRIBUTE_VALUES = st.one_of(
    ANY_TEXT,
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?\Z"),  # well formed, maybe impossible
    st.from_regex(r"\A-?\d{0,5}(\.\d{0,5})?([eE][+-]?\d{1,10})?\Z"),
    st.sampled_from(["small", "large", "water", "cables", "NaN", "Infinity"]),
)


@BUDGET
@given(
    values=st.dictionaries(st.sampled_from(["size", "lanes", "hazards", "note", "when"]), st.lists(ATTRIBUTE_VALUES)),
    as_json=st.booleans(),
)
def test_open311_attributes_with_any_value_never_500_and_are_stored_as_sent(typed_service, values, as_json):
    from open311.models import ServiceRequest

    client, before = Client(), count()
    values = {"size": ["small"], **values}  # the required one, unless generated: more requests get through
    body = open311_body(typed_service, service_code="transport.road")
    if as_json:
        response = post_json(client, {**body, "attribute": values}, path="/open311/v2/requests.json")
    else:
        encoded = [(f"attribute[{code}][]", value) for code, items in values.items() for value in items]
        fields = "&".join(f"{url_encoded(k)}={url_encoded(v)}" for k, v in [*body.items(), *encoded])
        response = client.generic(
            "POST", "/open311/v2/requests.json", fields, content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code != 500, response.content[:300]
    if response.status_code != OPEN311_CREATED:
        assert_open311_error(response, before)
        return
    record = ServiceRequest.objects.get(submission__tracking_number=response.json()[0]["service_request_id"])
    for code, stored in record.attributes.items():
        sent = [v for v in values[code] if v != ""]
        assert stored == (sent if code == "hazards" else sent[-1])


PARAMETERS = ["service_request_id", "service_code", "status", "start_date", "end_date", "jurisdiction_id", "page"]


@BUDGET
@given(
    path=st.sampled_from(["requests", "services", "requests/{}", "services/{}", "tokens/{}"]),
    segment=URL_TEXT.filter(lambda value: value and "/" not in value),
    params=st.dictionaries(st.sampled_from(PARAMETERS), URL_TEXT, max_size=4),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_open311_get_with_odd_parameters_never_500(open311_key, path, segment, params, fmt):
    query = "&".join(f"{name}={url_encoded(value)}" for name, value in params.items())
    url = f"/open311/v2/{path.format(url_encoded(segment))}.{fmt}?{query}"
    response = Client().get(url)
    assert response.status_code != 500, (url, response.content[:300])
    if response.status_code == 200:
        if fmt == "xml":
            ElementTree.fromstring(response.content)
        else:
            response.json()
    else:
        assert_open311_error(response, count(), fmt)


# ---- regression tests, one per bug found ------------------------------------------------


def test_lone_surrogate_in_json_text_is_a_field_error_not_a_server_error(setup):
    before = count()
    body = assert_api_error(post_json(Client(), valid_submission(title="路灯\ud800坏了")), before)
    assert list(body["errors"]) == ["title"]


def test_lone_surrogate_in_a_json_choice_is_a_field_error_even_though_the_message_quotes_values(setup):
    before = count()
    body = assert_api_error(post_json(Client(), valid_submission(kind="\udfff", district="\ud800")), before)
    assert {"kind", "district"} <= set(body["errors"])


def test_json_list_or_object_for_a_text_field_is_rejected_not_stored_as_its_repr(setup):
    before = count()
    body = assert_api_error(post_json(Client(), valid_submission(title=["a", "b"], text={"a": 1})), before)
    assert body["errors"]["title"] == ["此处请发送文本，不要发送列表或对象。"]
    assert "text" in body["errors"]


def test_json_list_for_a_boolean_is_rejected_not_taken_as_true(setup):
    before = count()
    body = assert_api_error(post_json(Client(), valid_submission(is_anonymous=[False])), before)
    assert "is_anonymous" in body["errors"]


def test_json_attachments_list_is_ignored_as_files_come_only_in_multipart(setup):
    response = post_json(Client(), valid_submission(attachments=[]))
    assert response.status_code == 201, response.content


def test_json_numbers_and_booleans_are_taken_as_their_text(setup):
    from feedback.models import Submission

    response = post_json(Client(), valid_submission(title=110, latitude=30.5, longitude=120, is_anonymous=True))
    assert response.status_code == 201, response.content
    case = Submission.objects.get(tracking_number=response.json()["tracking_number"])
    assert (case.title, str(case.latitude), case.is_anonymous) == ("110", "30.500000", True)


LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "com"  # 310 characters: EmailValidator lets it through


def test_email_longer_than_the_column_is_a_field_error_on_the_form_and_the_api(setup):
    before = count()
    body = assert_api_error(post_json(Client(), valid_submission(is_anonymous=False, email=LONG_EMAIL)), before)
    assert "email" in body["errors"]
    response = Client().post("/submit/", valid_submission(is_anonymous="", email=LONG_EMAIL))
    assert response.status_code == 400 and count() == before


def test_email_longer_than_the_column_is_a_400_on_open311(open311_key):
    before = count()
    response = Client().post("/open311/v2/requests.json", open311_body(open311_key, email=LONG_EMAIL))
    assert "email" in assert_open311_error(response, before)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/submissions/%00/",
        "/board/%00/",
        "/board/?q=%00",
        "/board/?district=%00",
        "/t/QH20260101-000001/%00/",
        "/open311/v2/requests/%00.json",
        "/open311/v2/requests/%00.xml",
        "/open311/v2/tokens/%00.json",
        "/open311/v2/services/%00.json",
        "/open311/v2/requests.json?service_request_id=%00",
        "/open311/v2/requests.xml?service_code=%00",
    ],
)
def test_nul_in_the_address_is_a_400_in_the_clients_format_not_a_server_error(bare, url):
    response = Client().get(url)
    assert response.status_code == 400
    if url.startswith("/open311/"):
        assert_open311_error(response, count(), "xml" if ".xml" in url else "json")
    elif url.startswith("/api/"):
        assert response.json()["detail"] == "地址中含有空字符。"
    else:
        assert response.content.decode() == "地址中含有空字符。"


def test_open311_api_key_with_a_lone_surrogate_is_400(open311_key):
    before = count()
    response = post_json(Client(), open311_body("\ud800"), path="/open311/v2/requests.json")
    assert "api_key" in assert_open311_error(response, before)


def test_open311_non_object_json_body_is_400(open311_key):
    before = count()
    response = post_json(Client(), ["api_key", open311_key], path="/open311/v2/requests.xml")
    assert response.status_code == 400
    assert assert_open311_error(response, before, "xml") == "请发送一个 JSON 对象。"


def test_open311_coordinate_with_a_huge_exponent_is_400_not_an_overflow(open311_key):
    before = count()
    response = Client().post("/open311/v2/requests.json", open311_body(open311_key, lat="1e999999999", long="1"))
    assert "lat" in assert_open311_error(response, before)


@pytest.fixture
def free_text_service(open311_key):
    from city.models import Category
    from open311.models import ServiceDefinition

    attributes = [
        {"code": "note", "datatype": "string", "required": False, "description": "Note", "order": 1},
        {"code": "when", "datatype": "datetime", "required": False, "description": "When", "order": 2},
    ]
    ServiceDefinition.objects.create(category=Category.objects.get(code="city.garbage"), attributes=attributes)
    return open311_key


@pytest.fixture
def typed_service(open311_key):
    """transport.road with one attribute of each datatype."""
    from city.models import Category
    from open311.models import ServiceDefinition
    from tests.open311.conftest import ROAD_ATTRIBUTES

    extra = [
        {"code": "note", "datatype": "string", "required": False, "description": "Note", "order": 4},
        {"code": "when", "datatype": "datetime", "required": False, "description": "When", "order": 5},
    ]
    road = Category.objects.get(code="transport.road")
    ServiceDefinition.objects.update_or_create(category=road, defaults={"attributes": [*ROAD_ATTRIBUTES, *extra]})
    return open311_key


def test_open311_attribute_with_nul_is_400_not_a_database_error(free_text_service):
    before = count()
    body = open311_body(free_text_service, **{"attribute[note]": "a\x00"})
    response = Client().post("/open311/v2/requests.json", body)
    assert "attribute[note]" in assert_open311_error(response, before)


@pytest.mark.parametrize("moment", ["2026-02-30T08:00:00", "2026-13-01T08:00", "2026-01-01T00:00:00+25:00"])
def test_open311_impossible_datetime_attribute_is_400_not_a_value_error(free_text_service, moment):
    before = count()
    body = open311_body(free_text_service, **{"attribute[when]": moment})
    response = Client().post("/open311/v2/requests.json", body)
    assert "attribute[when]" in assert_open311_error(response, before)


def test_open311_nested_attribute_value_is_400_not_stored_as_its_repr(free_text_service):
    before = count()
    body = open311_body(free_text_service, attribute={"note": {"deep": 1}})
    response = post_json(Client(), body, path="/open311/v2/requests.json")
    assert "attribute[note]" in assert_open311_error(response, before)


def test_open311_xml_replaces_characters_xml_cannot_carry(open311_key):
    description = "井盖\x0b丢失\x1b\uffff" + "".join(string.printable)
    client = Client()
    response = client.post("/open311/v2/requests.json", open311_body(open311_key, description=description))
    assert response.status_code == OPEN311_CREATED
    number = response.json()[0]["service_request_id"]
    listing = client.get(f"/open311/v2/requests/{number}.xml")
    shown = ElementTree.fromstring(listing.content).find("request/description").text
    assert shown.startswith("井盖\ufffd丢失\ufffd\ufffd")


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 50_000])
def test_deeply_nested_json_is_400_not_a_recursion_error(bare, body):
    before = count()
    api = post_json(Client(), body)
    assert assert_api_error(api, before)["detail"] == "JSON 正文嵌套过深。"
    open311 = post_json(Client(), body, path="/open311/v2/requests.json")
    assert assert_open311_error(open311, before) == "JSON 正文嵌套过深。"


def test_invalid_json_is_400_with_a_translated_message(bare):
    body = assert_api_error(post_json(Client(), "{"), count())
    assert body["code"] == "parse_error" and body["detail"].startswith("正文不是有效的 JSON：")


TOO_BIG = json.dumps(valid_submission(text="x" * 3_000_000)).encode()
TOO_MANY = "&".join(f"field{i}=1" for i in range(1500)).encode()


@pytest.mark.parametrize("path", ["/api/v1/submissions/", "/open311/v2/requests.json", "/open311/v2/requests.xml"])
def test_bodies_django_refuses_are_4xx_in_the_apis_not_500(bare, path):
    before = count()
    for body, content_type, status in [
        (TOO_BIG, "application/json", 413),
        (TOO_MANY, "application/x-www-form-urlencoded", 400),
    ]:
        response = Client().generic("POST", path, body, content_type=content_type)
        assert response.status_code == status
        if path.startswith("/open311/"):
            assert_open311_error(response, before, path.rsplit(".", 1)[1])
        else:
            assert_api_error(response, before)
