"""Production: everything secret comes from the environment, no defaults."""

from portal.settings.base import *  # noqa: F401,F403
from portal.settings.base import TRUSTED_PROXIES
from portal.settings.env import read_bool, read_int, read_secret_key

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
