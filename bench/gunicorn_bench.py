"""gunicorn settings for the intake bench: the same for Minsheng and the peer (no access log on either)."""

accesslog = None
errorlog = "-"
loglevel = "warning"
backlog = 256
