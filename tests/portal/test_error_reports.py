from django.test import RequestFactory
from django.views.debug import ExceptionReporter


def test_error_reports_mask_contact_details_and_secrets():
    request = RequestFactory().post(
        "/submit/",
        {
            "title": "路灯坏了",
            "phone": "13812345678",
            "email": "a@example.com",
            "name": "张三",
            "secret": "s3cr3t",
            "address": "幸福路88号",
        },
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report = ExceptionReporter(request, type(exc), exc, exc.__traceback__).get_traceback_text()
    for private in ("13812345678", "a@example.com", "张三", "s3cr3t", "幸福路88号"):
        assert private not in report
    assert "路灯坏了" in report  # the rest of the request is still there to debug with
