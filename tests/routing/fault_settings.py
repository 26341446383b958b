"""Settings for worker processes started by fault tests: the test settings, with every email written
to a file so a test can count what was really handed to the mail server."""

import os

from portal.settings.test import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["MINSHENG_TEST_MAIL_DIR"]
