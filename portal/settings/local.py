"""Development: debug on; PostgreSQL and Valkey embedded under var/ unless DATABASE_URL / REDIS_URL are set."""

from portal.settings.base import *  # noqa: F401,F403
from portal.settings.env import read_bool

DEBUG = read_bool("DEBUG", default=True)
