"""gunicorn's settings, read from the working directory (the image's /app) at start.

The access log keeps no search terms: the request line, query string and
Referer go through ``portal.logscrub`` (staff look cases up by phone number).
"""

from gunicorn.glogging import Logger

from portal.logscrub import scrub_query_string, scrub_urls


class ScrubbingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = scrub_urls(atoms["r"])
        atoms["q"] = scrub_query_string(atoms["q"] or "")
        atoms["f"] = scrub_urls(atoms["f"])
        for name in list(atoms):
            if name.startswith("{") and isinstance(atoms[name], str):
                atoms[name] = scrub_urls(atoms[name])
        return atoms


logger_class = ScrubbingLogger
accesslog = "-"
