#!/usr/bin/env python
"""Drive a running portal with an unmodified third-party Open311 client (civicbot, from PyPI).

    python scripts/open311_client_check.py http://127.0.0.1:8000/open311/v2/ API_KEY

Lists services, posts one request (service city.garbage), resolves its token,
looks it up and lists requests; prints what it saw and exits non-zero on
any mismatch. Create the key with `python manage.py open311_key NAME`.
"""

from __future__ import annotations

import sys

from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint


def main(base_url: str, api_key: str) -> int:
    endpoint = Endpoint(id="minsheng", name="Minsheng", base_url=base_url, write=True)
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))
    services = client.list_services()
    print(f"services: {len(services)}, e.g. {services[0]['service_code']} {services[0]['service_name']}")
    posted = client.create_request(
        "city.garbage",
        dry_run=False,
        confirm="SEND",
        api_key=api_key,
        validate_remote=True,
        lat=30.2741,
        lng=120.1551,
        description="open311_client_check: 路口垃圾未清运",
    )
    (answer,) = posted.response
    request_id = answer["service_request_id"]
    print(f"posted: {request_id} token {answer['token']}")
    (resolved,) = client.get_token(answer["token"])
    found = client.get_request(request_id)
    listed = [r["service_request_id"] for r in client.list_requests(service_code="city.garbage")]
    print(f"token → {resolved['service_request_id']}; lookup status {found['status']}; listed {len(listed)}")
    ok = resolved["service_request_id"] == request_id == found["service_request_id"] and request_id in listed
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
