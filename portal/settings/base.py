"""Settings shared by every environment.

Every value that differs between machines comes from the environment and is
parsed strictly by ``portal.settings.env``: a malformed value stops the start
with a one-line message that names the variable.
"""

from __future__ import annotations

from pathlib import Path

from kombu import Queue

from portal.settings.env import (
    broker_transport_options,
    embedded_url,
    env,
    read_bool,
    read_database,
    read_email,
    read_int,
    read_list,
    read_networks,
    read_rate,
    read_redis_url,
    read_timezone,
    read_work_hours,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("MINSHENG_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = read_bool("DEBUG", default=False)
ALLOWED_HOSTS = read_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = read_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "city",
    "feedback",
    "deadlines",
    "casework",
    "routing",
    "surges",
    "oversight",
    "knowledge",
    "hotline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Errors no API view answered (unknown paths, DEBUG pages): ApiError under /api/, the error list under /open311/.
    "portal.api_edges.ApiErrorsAsJsonMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PagesSpeakChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF, forms, parsers): 413 from Content-Length alone.
    "portal.request_limits.RequestSizeLimitMiddleware",
    "portal.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sign-in: lock a username+IP pair out after 5 failures, for one hour.
AXES_FAILURE_LIMIT = read_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL and Redis: the servers DATABASE_URL and REDIS_URL name or, for
# whichever of the two is not set, the embedded server under var/, started on
# demand (portal.embedded). Production settings require both variables.
DATABASES = {"default": read_database("DATABASE_URL", default=embedded_url("DATABASE_URL", VAR_DIR))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "casework:home"  # each role lands on its work
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]  # makemessages writes to the first only
USE_I18N = True
TIME_ZONE = read_timezone("TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = read_bool("WHITENOISE_USE_FINDERS", default=True)
# Uploads live outside the web root and are only served through views that
# check who is asking.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_AGE = read_int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Email: console in development, SMTP from EMAIL_URL in production.
_email = read_email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="民声 Minsheng <noreply@minsheng.local>")
# The address links in e-mails and SMS point at; by default the port the portal runs on.
PORT = read_int("PORT", default=8000, minimum=1)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

# Celery: the broker is Redis, the same server as the cache.
REDIS_URL = read_redis_url("REDIS_URL", default=embedded_url("REDIS_URL", VAR_DIR))
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options()
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Only tasks that declare themselves idempotent set reject_on_worker_lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = False
# Time limits stay well below the broker's visibility timeout (1 hour), so a
# message is never redelivered while its first run is still going.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_TIMEOUT = 1.5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Three queues, so that at scale each gets a worker pool of its own (README, "Production and scaling out"):
# ``intake`` (routing a new case: seconds matter), ``notify`` (mail and in-app notices: slow servers must not
# hold up routing) and ``celery`` (sweeps, roll-ups, training: heavy, periodic). A worker started without
# ``-Q`` consumes all three, as `make run` and the tests do.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("intake"), Queue("notify")]
CELERY_TASK_ROUTES = {
    "routing.tasks.route_submission": {"queue": "intake"},
    "feedback.tasks.send_notifications": {"queue": "notify"},
    "casework.tasks.deliver_assignment_email": {"queue": "notify"},
    "surges.tasks.send_surge_notifications": {"queue": "notify"},
    "consultations.tasks.send_notices": {"queue": "notify"},
}
# Beat schedule: plain intervals in seconds (UTC), so no schedule depends on
# the local clock.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 60.0},
    "route-unrouted-sweep": {"task": "routing.tasks.route_unrouted_sweep", "schedule": 60.0},
    "anonymise-closed-cases": {"task": "feedback.tasks.anonymise_closed_cases", "schedule": 86400.0},
    "surge-scan": {"task": "surges.tasks.surge_scan_task", "schedule": 300.0},
    "surge-notifications-sweep": {"task": "surges.tasks.send_pending_surge_notifications_sweep", "schedule": 600.0},
    "oversight-refresh-rollup": {"task": "oversight.tasks.refresh_rollup", "schedule": 600.0},
    "oversight-refresh-rollup-month": {
        "task": "oversight.tasks.refresh_rollup",
        "schedule": 6 * 3600.0,
        "kwargs": {"days": 35},
    },
    "oversight-weekly-digest": {"task": "oversight.tasks.send_weekly_digest", "schedule": 3600.0},
    "notifications-sweep": {"task": "feedback.tasks.send_pending_notifications_sweep", "schedule": 60.0},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minsheng API",
    "DESCRIPTION": "Citizens' feedback, routing and closed-loop handling.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Business knobs, all overridable from the environment.
MINSHENG = {
    "TRACKING_PREFIX": env("TRACKING_PREFIX", default="QH"),
    "SUBMIT_RATE_PER_HOUR": read_int("SUBMIT_RATE_PER_HOUR", default=20),
    "TRACK_RATE_PER_HOUR": read_int("TRACK_RATE_PER_HOUR", default=60),
    "MAX_ATTACHMENTS": 5,
    "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "MAX_TEXT_LENGTH": 5000,
    # Closed cases lose the citizen's name, phone, email and address after this many days.
    "RETENTION_DAYS": read_int("RETENTION_DAYS", default=730, minimum=1),
    # Closed loop (city.calendar, deadlines.escalation).
    "WORK_HOURS": read_work_hours("WORK_HOURS", default="09:00-12:00,13:30-18:00"),
    "DEADLINE_SWEEP_SECONDS": read_int("DEADLINE_SWEEP_SECONDS", default=60, minimum=5),
    "DEADLINE_SWEEP_BATCH": read_int("DEADLINE_SWEEP_BATCH", default=1000, minimum=1),
    # A backlog (more than a batch due) is swept on this many database connections at once.
    "DEADLINE_SWEEP_CONNECTIONS": read_int("DEADLINE_SWEEP_CONNECTIONS", default=2, minimum=1),
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.reporting.ContactSafeExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Routing engine (routing/): where trained suggester models are kept, and how
# often a process looks for a newer model or changed rules.
ROUTER_MODEL_DIR = Path(env("ROUTER_MODEL_DIR", default=str(VAR_DIR / "models")))
ROUTER_RELOAD_SECONDS = read_int("ROUTER_RELOAD_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["train-router-nightly"] = {"task": "routing.tasks.train_router_nightly", "schedule": 86400.0}
# Open APIs (issue 8): one error shape for every API error, throttles, the
# OpenAPI schema, and Open311 GeoReport v2 in the ``open311`` app.
INSTALLED_APPS += ["open311"]
REST_FRAMEWORK.update(
    {
        # Token first: an anonymous caller gets 401 with WWW-Authenticate, not 403.
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "EXCEPTION_HANDLER": "portal.api.exception_handler",
        "DEFAULT_PAGINATION_CLASS": "portal.pagination.ApiPagination",
        "DEFAULT_SCHEMA_CLASS": "portal.api.ApiAutoSchema",
        # Bad filter, ordering and page values are 400s in the ApiError shape (portal.filters).
        "DEFAULT_FILTER_BACKENDS": ["portal.filters.ApiFilterBackend", "portal.filters.StrictOrderingFilter"],
        "DEFAULT_THROTTLE_CLASSES": ["portal.throttling.ApiAnonRateThrottle", "portal.throttling.ApiUserRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {
            "anon": read_rate("API_ANON_RATE", default="120/minute"),
            "user": read_rate("API_USER_RATE", default="1200/minute"),
            "login": read_rate("API_LOGIN_RATE", default="10/minute"),
        },
    }
)
SPECTACULAR_SETTINGS.update(
    {
        "ENUM_NAME_OVERRIDES": {
            "SubmissionStatusEnum": "feedback.models.Status",
            "SurgeAlertStatusEnum": "surges.models.AlertStatus",
            "Open311StatusEnum": [("open", "open"), ("closed", "closed")],
        },
        "SCHEMA_PATH_PREFIX": r"/(api/v[0-9]+|open311/v2)",
        "COMPONENT_SPLIT_REQUEST": True,
    }
)
MINSHENG.update(
    {
        # Open311 GeoReport v2: the one jurisdiction this portal serves.
        "OPEN311_JURISDICTION_ID": env("OPEN311_JURISDICTION_ID", default="qinghe.example"),
        "OPEN311_CONTACT": env("OPEN311_CONTACT", default="12345@qinghe.example"),
        "OPEN311_WINDOW_DAYS": read_int("OPEN311_WINDOW_DAYS", default=90, minimum=1),
        "OPEN311_MAX_REQUESTS": read_int("OPEN311_MAX_REQUESTS", default=1000, minimum=1),
        "OPEN311_KEY_RATE_PER_MINUTE": read_int("OPEN311_KEY_RATE_PER_MINUTE", default=60, minimum=1),
        # Public precision of coordinates on GET requests: 3 decimals ≈ 100 m (issue 14); 6 = as stored.
        "OPEN311_PUBLIC_COORD_DECIMALS": read_int("OPEN311_PUBLIC_COORD_DECIMALS", default=3),
        # Public answers that are the same for everyone (GET requests, the home page's figures) are kept
        # this many seconds in the cache (portal/public_cache.py); 0 computes every one.
        "PUBLIC_CACHE_SECONDS": read_int("PUBLIC_CACHE_SECONDS", default=60),
    }
)
# Request bodies (portal.request_limits): the cap is checked from Content-Length before the body is read.
# Default: the attachments a submission may carry (5 × 10 MB) plus 1 MB of form text.
MAX_REQUEST_BYTES = read_int(
    "MAX_REQUEST_BYTES", default=MINSHENG["MAX_ATTACHMENTS"] * MINSHENG["MAX_ATTACHMENT_BYTES"] + 2**20, minimum=1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440  # the non-file part of a body (text fields): 2.5 MB, said out loud
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # larger files go to a temporary file, not memory
# Oversight: rankings need this many cases; "near" means due within these hours;
# the escalation level at which a case is publicly criticised (通报).
OVERSIGHT_KPI_MIN_SAMPLE = read_int("OVERSIGHT_KPI_MIN_SAMPLE", default=20)
OVERSIGHT_NEAR_HOURS = read_int("OVERSIGHT_NEAR_HOURS", default=24)
OVERSIGHT_PUBLIC_CRITICISM_LEVEL = read_int("OVERSIGHT_PUBLIC_CRITICISM_LEVEL", default=4)
CELERY_BEAT_SCHEDULE["deadline-sweep"] = {
    "task": "routing.tasks.deadline_sweep",
    "schedule": float(MINSHENG["DEADLINE_SWEEP_SECONDS"]),
}


# Casework knobs (returns, email-working departments).
MINSHENG["RETURN_WINDOW_WORKING_DAYS"] = read_int("RETURN_WINDOW_WORKING_DAYS", default=1)
MINSHENG["RETURN_WINDOW_HOURS"] = read_int("RETURN_WINDOW_HOURS", default=24)
MINSHENG["RETURNS_BEFORE_SUPERVISOR"] = read_int("RETURNS_BEFORE_SUPERVISOR", default=2)
MINSHENG["EMAIL_LINK_MAX_AGE_DAYS"] = read_int("EMAIL_LINK_MAX_AGE_DAYS", default=14)
MINSHENG["EMAIL_DELIVERY_MAX_ATTEMPTS"] = read_int("EMAIL_DELIVERY_MAX_ATTEMPTS", default=5)
MINSHENG["DUE_SOON_HOURS"] = read_int("DUE_SOON_HOURS", default=24)
CELERY_IMPORTS = ["casework.tasks"]
CELERY_BEAT_SCHEDULE["email-delivery-sweep"] = {"task": "casework.tasks.email_delivery_sweep", "schedule": 60.0}


# Second factor (issue 14): django-otp's TOTP devices, asked for by every door that
# takes a password (accounts.services); its own exponential delay is off because
# wrong codes lock like wrong passwords (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME).
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = "accounts.apps.SecondFactorAdminConfig"
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE[MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1 : 0] = [
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
]
OTP_TOTP_ISSUER = "Minsheng"
OTP_TOTP_THROTTLE_FACTOR = 0

# Reverse proxies (issue 14): X-Forwarded-For / -Proto are believed only from these
# addresses or networks (none by default); the rate limits, django-axes and the
# HTTPS check all see the same client address (portal.proxies).
TRUSTED_PROXIES = read_networks("TRUSTED_PROXIES", default=[])
MIDDLEWARE.insert(0, "portal.proxies.TrustedProxyMiddleware")
AXES_CLIENT_IP_CALLABLE = "portal.proxies.client_address"
# Failed tracking-secret guesses per address over all tracking numbers (0: ten times TRACK_RATE_PER_HOUR).
MINSHENG["TRACK_ADDRESS_RATE_PER_HOUR"] = read_int("TRACK_ADDRESS_RATE_PER_HOUR", default=0)
# Access logs of runserver keep no search terms (gunicorn: gunicorn.conf.py).
LOGGING["filters"] = {"scrub_query_strings": {"()": "portal.logscrub.QueryStringScrubber"}}
LOGGING["loggers"]["django.server"] = {"handlers": ["console"], "filters": ["scrub_query_strings"], "propagate": False}

# Consultations (issue 20): 问计于民, with its own sweep (closing, answer deadlines) and notice sweep.
INSTALLED_APPS += ["consultations"]
CELERY_BEAT_SCHEDULE["consultations-sweep"] = {"task": "consultations.tasks.consultations_sweep", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["consultations-notices-sweep"] = {
    "task": "consultations.tasks.send_pending_notices_sweep",
    "schedule": 300.0,
}

# Maps (issue 19): district outlines, the pin on the submit form, hot spots, the board's map. WGS-84 in storage.
INSTALLED_APPS += ["maps"]
CELERY_BEAT_SCHEDULE["maps-hotspots-refresh"] = {"task": "maps.tasks.hotspots_refresh", "schedule": 60.0}
_MAPS_TILE_CRS = env("MAPS_TILE_CRS", default="wgs84")
if _MAPS_TILE_CRS not in {"wgs84", "gcj02"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"MAPS_TILE_CRS must be wgs84 or gcj02, not {_MAPS_TILE_CRS!r}.")
MINSHENG["MAPS"] = {
    # Raster tiles under the vector layers, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty (the
    # default): no tiles at all, only the city's outlines and roads, so the map works with no internet.
    # The tile host must also be allowed in the CSP's img-src (CONTENT_SECURITY_POLICY).
    "TILE_URL": env("MAPS_TILE_URL", default=""),
    "TILE_ATTRIBUTION": env("MAPS_TILE_ATTRIBUTION", default=""),
    # gcj02 for Chinese providers (Tianditu GCJ layers, AMap, Tencent): points are shifted for display.
    "TILE_CRS": _MAPS_TILE_CRS,
    "NEARBY_RADIUS_M": read_int("MAPS_NEARBY_RADIUS_M", default=500, minimum=10),
    # The hot-spot grid's cell, given in thousandths of a degree (10: 0.01° ≈ 1.1 km × 0.95 km at 30°N).
    "GRID_SIZE": read_int("MAPS_GRID_MILLIDEGREES", default=10, minimum=1) / 1000,
}

INSTALLED_APPS += ["demo"]  # the demo city's history (manage.py seed_history); above every other app


# Ten years of a megacity (issue 17, docs/scaling.md). Case events, notifications and routing
# decisions are partitioned by month (portal/partitioning.py); beat creates months ahead daily.
PARTITION_MONTHS_AHEAD = read_int("PARTITION_MONTHS_AHEAD", default=3, minimum=1)
CELERY_BEAT_SCHEDULE["ensure-partitions"] = {"task": "portal.tasks.ensure_partitions_task", "schedule": 86400.0}
# Oversight reads (dashboards, KPIs, the digest, the scoreboard) may go to a streaming replica; every
# write, sign-in and session stays on the primary (portal/db_router.py). Unset: everything on the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = read_database("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
    MIDDLEWARE += ["portal.db_router.ReplicaReadsMiddleware"]
# Citizens reached by phone (issue 18): SMS through a backend chosen like EMAIL_BACKEND (feedback/sms.py),
# numbers read in PHONE_DEFAULT_REGION, and the one-time codes of "my cases" (feedback/access_codes.py).
SMS_BACKEND = env("SMS_BACKEND", default="feedback.sms.ConsoleBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
SMS_TWILIO_ACCOUNT_SID = env("SMS_TWILIO_ACCOUNT_SID", default="")
SMS_TWILIO_AUTH_TOKEN = env("SMS_TWILIO_AUTH_TOKEN", default="")
SMS_TWILIO_FROM = env("SMS_TWILIO_FROM", default="")
SMS_TWILIO_API_BASE = env("SMS_TWILIO_API_BASE", default="https://api.twilio.com")
SMS_TIMEOUT_SECONDS = read_int("SMS_TIMEOUT_SECONDS", default=10, minimum=1)
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", default="CN")
MINSHENG["ACCESS_CODE_MINUTES"] = read_int("ACCESS_CODE_MINUTES", default=10, minimum=1)
MINSHENG["ACCESS_CODE_MAX_TRIES"] = read_int("ACCESS_CODE_MAX_TRIES", default=5, minimum=1)
MINSHENG["ACCESS_CODE_PER_CONTACT_PER_HOUR"] = read_int("ACCESS_CODE_PER_CONTACT_PER_HOUR", default=5, minimum=1)
MINSHENG["ACCESS_CODE_PER_ADDRESS_PER_HOUR"] = read_int("ACCESS_CODE_PER_ADDRESS_PER_HOUR", default=20, minimum=1)
MINSHENG["MY_CASES_SESSION_MINUTES"] = read_int("MY_CASES_SESSION_MINUTES", default=30, minimum=1)
CELERY_BEAT_SCHEDULE["purge-access-codes"] = {"task": "feedback.tasks.purge_access_codes", "schedule": 3600.0}
# The transactional outbox (portal/outbox.py): the worker's listener drains it. OUTBOX_IN_PROCESS drains it in the
# writing process after commit instead, for runs with no worker by design (the browser walks set it).
OUTBOX_IN_PROCESS = False
