"""Production: everything secret comes from the environment, no defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

# Production never starts the embedded servers: both addresses are required,
# checked before the shared settings would start them.
for _name in ("DATABASE_URL", "REDIS_URL"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(f"{_name} must be set in production (the embedded servers are for development).")

from portal.settings.base import *  # noqa: E402,F401,F403
from portal.settings.base import TRUSTED_PROXIES  # noqa: E402
from portal.settings.env import read_bool, read_int, read_secret_key  # noqa: E402

# Refused when short or when its estimated entropy is low (a repeated pattern such as 'abcde' * 12).
SECRET_KEY = read_secret_key("SECRET_KEY")

DEBUG = False
# X-Forwarded-Proto means something only from a proxy we trust (portal.proxies drops it from anyone else);
# without TRUSTED_PROXIES it is not read at all.
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = read_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
