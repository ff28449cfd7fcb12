"""gunicorn for `make run` and `make classroom` (deploy/serve.py sets the environment).

Threads, not only processes: a trainee's request mostly waits on the database, and on the embedded
SQLite database every write waits its turn for the one write lock; a few processes (the GIL) with
several threads each keep 40 trainees' pages moving while one of them writes.
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = 60
graceful_timeout = 10
# A worker is replaced now and then, so a slow leak cannot grow through a whole training day.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
proc_name = "accessportal-web"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus'
