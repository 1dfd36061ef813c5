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
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then. Each restart costs its first requests about half a second
# (Django loads its URLs and templates lazily), which showed as p99 spikes in bench/ at 2,000.
max_requests = 50000
max_requests_jitter = 5000
preload_app = True  # workers fork from a loaded app: restarts are cheaper
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
