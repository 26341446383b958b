"""The realistic mix for `make load` (bench/load.py starts the stack and runs this headless).

Who uses Minsheng, in about these proportions of simultaneous users:

- **board readers** (most numerous): the home page, the public board, a published case;
- **citizens on the web**: the submission form (GET, then POST with its CSRF token), the confirmation page,
  then following the case with its tracking number and secret;
- **citizens through the JSON API** (the app): ``POST /api/v1/submissions/`` and tracking with
  ``X-Tracking-Secret``;
- **Open311 clients**: ``GET services.json`` and ``requests.json``, ``POST requests.json`` with an api_key;
- **department staff** working their inbox: the assigned list, a case page, **sign for**, then a **reply**
  to a case in progress;
- **supervisors**: the oversight dashboard, KPIs, the deadline board and the public scoreboard.

Every request goes through gunicorn as if from the TLS proxy in front of it (``X-Forwarded-Proto: https``
and a per-user ``X-Forwarded-For`` from the trusted proxy address), so production settings apply as
shipped: secure cookies, CSRF with an Origin, HSTS. Run alone against any Minsheng:

    locust -f bench/locustfile.py --host http://127.0.0.1:8000 \
        # LOAD_PASSWORD (the demo accounts'), LOAD_OPEN311_KEY, LOAD_ACCEPTED_FILE from the environment
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
from http.cookiejar import DefaultCookiePolicy
from itertools import count

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "minsheng-demo-2026")
OPEN311_KEY = os.environ.get("LOAD_OPEN311_KEY", "")
ACCEPTED_FILE = os.environ.get("LOAD_ACCEPTED_FILE", "")
# Think time between a user's actions is scaled by this (1: people's pace; 0.1: the fault tests' tight loop).
THINK_SCALE = float(os.environ.get("LOAD_THINK_SCALE", "1"))


def think(low: float, high: float):
    return between(low * THINK_SCALE, high * THINK_SCALE)


DISTRICTS = ["dongcheng", "xicheng", "nanhu", "beishan", "gaoxin"]
TEXTS = [
    ("complaint", "city.garbage", "小区门口垃圾没人清理", "红星里小区门口垃圾堆了三天，没人清理，气味很大。"),
    ("appeal", "", "停水三天无人管", "南湖区湖畔家园3号楼停水三天了，物业说是市政管网问题，请尽快处理。"),
    (
        "suggestion",
        "",
        "Add a bus stop",
        "Please add a stop near the High-tech Zone library; the nearest is 1 km away.",
    ),
    ("complaint", "", "工地夜间施工", "科技大道旁的工地每天晚上十一点以后还在施工，噪音很大，影响休息。"),
    ("consultation", "", "社保转移咨询", "从外地调到清河市工作，养老保险关系如何转移？需要哪些材料？"),
]
OPEN311_SERVICES = ["city.garbage", "transport.road", "water.supply"]
STAFF = ["cgj_staff", "swj_staff", "zjj_staff", "jtj_staff", "sthj_staff", "rsj_staff", "scj_staff", "cgj_head"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/staff/cases/(\d+)/"')
BOARD_LINK = re.compile(r'href="/board/([A-Z0-9-]+)/"')
DONE = re.compile(r"/t/([A-Z0-9-]+)/([A-Za-z0-9_-]+)/")

_accepted: list[str] = []
_lock = threading.Lock()
_serial = count(1)


def _accept(number: str) -> None:
    with _lock:
        _accepted.append(number)


@events.test_stop.add_listener
def _write_accepted(environment, **_kwargs) -> None:
    if ACCEPTED_FILE:
        with _lock, open(ACCEPTED_FILE, "w") as out:
            json.dump(_accepted, out)


class _AsIfBehindTls(DefaultCookiePolicy):
    """Send the Secure cookies back over the plain HTTP hop, as the browser does over TLS to the proxy."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class Visitor(FastHttpUser):
    abstract = True
    wait_time = think(0.5, 2.5)

    def on_start(self) -> None:
        self.client.cookiejar.set_policy(_AsIfBehindTls())
        n = next(_serial)
        host = self.host.split("://", 1)[-1].rstrip("/")
        # Sent with every request (geventhttpclient's user agent keeps them per user).
        self.client.client.default_headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                "Origin": f"https://{host}",
                "Accept-Language": random.choice(["zh-CN,zh;q=0.9", "zh-CN", "en"]),
            }
        )
        self.mine: list[tuple[str, str]] = []

    def csrf_from(self, html: str) -> str:
        match = CSRF_INPUT.search(html)
        return match.group(1) if match else ""

    def post_form(self, path: str, fields: dict, *, name: str, ok=(302,)) -> str:
        with self.client.post(path, data=fields, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
            return response.headers.get("Location", "") if response.headers else ""

    def sign_in(self, username: str) -> bool:
        page = self.client.get("/accounts/login/", name="sign in: GET /accounts/login/")
        where = self.post_form(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf_from(page.text or "")},
            name="sign in: POST /accounts/login/",
        )
        return bool(where) and "/accounts/login/" not in where


class BoardReader(Visitor):
    weight = 5

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="reader: GET / (home)")

    @task(5)
    def board(self) -> None:
        page = self.client.get(f"/board/?page={random.randint(1, 3)}", name="reader: GET /board/")
        numbers = BOARD_LINK.findall(page.text or "") if page.status_code == 200 else []
        if numbers:
            self.client.get(f"/board/{random.choice(numbers)}/", name="reader: GET /board/<number>/")


class WebCitizen(Visitor):
    weight = 2

    @task(3)
    def submit_on_the_web(self) -> None:
        form = self.client.get("/submit/", name="citizen web: GET /submit/")
        kind, category, title, text = random.choice(TEXTS)
        where = self.post_form(
            "/submit/",
            {
                "csrfmiddlewaretoken": self.csrf_from(form.text or ""),
                "kind": kind,
                "category": category,
                "title": title,
                "text": f"{text} (web {next(_serial)})",
                "district": random.choice(DISTRICTS),
                "phone": "13800000000",
                "may_publish": "on",
            },
            name="citizen web: POST /submit/",
        )
        if where.endswith("/submit/done/"):
            done = self.client.get("/submit/done/", name="citizen web: GET /submit/done/")
            match = DONE.search(done.text or "")
            if match:
                self.mine.append((match.group(1), match.group(2)))
                _accept(match.group(1))

    @task(2)
    def follow_my_case(self) -> None:
        if not self.mine:
            return
        number, secret = random.choice(self.mine)
        page = self.client.get("/track/", name="citizen web: GET /track/")
        where = self.post_form(
            "/track/",
            {"csrfmiddlewaretoken": self.csrf_from(page.text or ""), "tracking_number": number, "secret": secret},
            name="citizen web: POST /track/",
        )
        if where:
            self.client.get(where, name="citizen web: GET /track/<number>/")


class ApiCitizen(Visitor):
    weight = 2

    @task(3)
    def submit_through_the_api(self) -> None:
        kind, category, title, text = random.choice(TEXTS)
        body = {
            "kind": kind,
            "title": title,
            "text": f"{text} (app {next(_serial)})",
            "district": random.choice(DISTRICTS),
            "phone": "13800000000",
            "client_token": f"load-{os.getpid()}-{next(_serial)}-{random.getrandbits(32):08x}",
        }
        if category:
            body["category"] = category
        with self.client.post(
            "/api/v1/submissions/", json=body, name="citizen api: POST /api/v1/submissions/", catch_response=True
        ) as response:
            if response.status_code == 201:
                payload = response.json()
                self.mine.append((payload["tracking_number"], payload["secret"]))
                _accept(payload["tracking_number"])
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")

    @task(2)
    def track_through_the_api(self) -> None:
        if not self.mine:
            return
        number, secret = random.choice(self.mine)
        self.client.get(
            f"/api/v1/submissions/{number}/",
            headers={"X-Tracking-Secret": secret},
            name="citizen api: GET /api/v1/submissions/<number>/",
        )


class Open311Client(Visitor):
    weight = 1

    @task(2)
    def services(self) -> None:
        self.client.get("/open311/v2/services.json", name="open311: GET services.json")

    @task(2)
    def requests_list(self) -> None:
        self.client.get("/open311/v2/requests.json", name="open311: GET requests.json")

    @task(1)
    def post_request(self) -> None:
        if not OPEN311_KEY:
            return
        with self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": OPEN311_KEY,
                "service_code": random.choice(OPEN311_SERVICES[:1]),
                "address_string": "东城区 人民路 1 号",
                "description": f"路边垃圾桶满了没人清 (open311 {next(_serial)})",
                # A point in the demo city's 东城区 (maps/data/qinghe.geojson): Open311 refuses points outside it.
                "lat": f"{30.6300 + random.uniform(-0.002, 0.002):.6f}",
                "long": f"{119.9750 + random.uniform(-0.002, 0.002):.6f}",
            },
            name="open311: POST requests.json",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                try:
                    number = response.json()[0].get("service_request_id")
                except (ValueError, IndexError, KeyError, AttributeError):
                    number = None
                if number:
                    _accept(number)
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")


class Staff(Visitor):
    weight = 2
    wait_time = think(1, 4)

    def on_start(self) -> None:
        super().on_start()
        self.username = random.choice(STAFF)
        self.signed_in = self.sign_in(self.username)

    def _cases(self, status: str) -> list[str]:
        page = self.client.get(f"/staff/?status={status}", name=f"staff: GET /staff/?status={status}")
        return CASE_LINK.findall(page.text or "") if page.status_code == 200 else []

    def _act(self, pk: str, action: str, fields: dict) -> None:
        page = self.client.get(f"/staff/cases/{pk}/", name="staff: GET /staff/cases/<id>/")
        if page.status_code != 200:
            return
        # The case page's forms carry the version the actor saw; 400 is a form error, counted as a failure.
        version = re.search(r'name="version" value="(\d+)"', page.text)
        data = {"csrfmiddlewaretoken": self.csrf_from(page.text), **fields}
        if version:
            data["version"] = version.group(1)
        self.post_form(f"/staff/cases/{pk}/act/{action}/", data, name=f"staff: POST act/{action}")

    @task(3)
    def inbox(self) -> None:
        if self.signed_in:
            self.client.get("/staff/", name="staff: GET /staff/")

    @task(2)
    def sign_for(self) -> None:
        cases = self._cases("assigned") if self.signed_in else []
        if cases:
            self._act(random.choice(cases[:20]), "sign_for", {})

    @task(1)
    def reply(self) -> None:
        cases = self._cases("in_progress") if self.signed_in else []
        if cases:
            self._act(
                random.choice(cases[:20]),
                "reply",
                {"disposition": "resolved", "text": "已安排人员现场处理，问题已解决。感谢您的反映。"},
            )


class Supervisor(Visitor):
    weight = 1
    wait_time = think(2, 5)

    def on_start(self) -> None:
        super().on_start()
        self.signed_in = self.sign_in("supervisor")

    @task(3)
    def dashboard(self) -> None:
        if self.signed_in:
            self.client.get("/oversight/", name="supervisor: GET /oversight/")

    @task(2)
    def kpis(self) -> None:
        if self.signed_in:
            self.client.get("/oversight/kpis/", name="supervisor: GET /oversight/kpis/")

    @task(2)
    def deadlines(self) -> None:
        if self.signed_in:
            self.client.get("/deadlines/", name="supervisor: GET /deadlines/")

    @task(1)
    def scoreboard(self) -> None:
        self.client.get("/scoreboard/", name="supervisor: GET /scoreboard/")
