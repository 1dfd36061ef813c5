"""gunicorn settings: `gunicorn -c tracker/gunicorn.conf.py tracker.wsgi` (see README, Deploy).

Every value can be overridden with the usual GUNICORN_CMD_ARGS or on the command line.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One worker per core was measured to be the sweet spot on these 2-core machines.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
# The full update export streams for a few seconds to a proxy, longer to a slow client.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_# The full update export streams for a few seconds to a proxy, longer to a slow client.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
keepalive = 5
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
