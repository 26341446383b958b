"""Settings for the test suite: fast hashing, local memory email, eager nothing."""

from portal.settings.base import *  # noqa: F401,F403
from portal.settings.base import MINSHENG

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Public answers are cached as shipped (PUBLIC_CACHE_SECONDS); tests/conftest.py empties the cache before each
# test, whose database rolls back while Redis would keep one test's answers for the next.
MINSHENG = {**MINSHENG, "SUBMIT_RATE_PER_HOUR": 1000, "TRACK_RATE_PER_HOUR": 1000}
# Throttles far above what a test run sends; tests of 429 lower them themselves.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "login": "100000/minute"},
}
SMS_BACKEND = "feedback.sms.LocmemBackend"
