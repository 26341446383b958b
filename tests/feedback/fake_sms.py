"""A local stand-in for Twilio's Messages API, started by the test on a free port (never the network).

It checks what Twilio checks (basic auth of the account, the form fields) and
records every accepted message, so a test can count that each body went out
exactly once. ``fail_next`` makes the next answers 503 (or any status), as a
provider outage does.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-token"
SENDER = "+15005550006"


@dataclass
class FakeTwilio:
    url: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies_to(self, number: str) -> list[str]:
        return [m["Body"] for m in self.messages if m["To"] == number]


def start_fake_twilio() -> tuple[FakeTwilio, ThreadingHTTPServer]:
    fake = FakeTwilio()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            with fake.lock:
                fake.requests += 1
                if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                    return self._answer(404, {"code": 20404, "message": "not found"})
                if self.headers.get("Authorization") != expected_auth:
                    return self._answer(401, {"code": 20003, "message": "Authenticate"})
                if fake.fail_next:
                    status = fake.fail_next.pop(0)
                    return self._answer(status, {"code": 30001, "message": f"fake failure {status}"})
                if not form.get("To", "").startswith("+") or not form.get("Body") or form.get("From") != SENDER:
                    return self._answer(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})
                fake.messages.append(form)
                sid = f"SM{len(fake.messages):032d}"
            return self._answer(201, {"sid": sid, "status": "queued", "to": form["To"], "body": form["Body"]})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server


def use_fake_twilio(settings, fake: FakeTwilio) -> None:
    settings.SMS_BACKEND = "feedback.sms.TwilioBackend"
    settings.SMS_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SMS_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SMS_TWILIO_FROM = SENDER
    settings.SMS_TWILIO_API_BASE = fake.url
    settings.SMS_TIMEOUT_SECONDS = 5
