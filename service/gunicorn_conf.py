"""gunicorn's settings for the Lagebild API (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`).

`lagebild serve` passes this file and adds only the address and the number of processes, so the
embedded default, the Dockerfile and docker-compose.yml run the same front door. Why: see
service/frontdoor.py and docs/security.md.
"""
worker_class = "service.frontdoor.Worker"
# gunicorn's logger without the access hook whose lines nobody writes (see the class)
logger_class = "service.frontdoor.Logger"
# connections each process holds at once; a slow client costs one of them, not a process
worker_connections = 1000
# seconds a connection may take to send a whole request head (and may stay idle between requests)
keepalive = 5
# a process that does not report for this long (a blocked event loop) is replaced
timeout = 30
graceful_timeout = 20
# the app answers over-long URLs itself (a problem+json 414 above 8,192 characters); gunicorn
# still stops reading a request line at 1 MB
limit_request_line = 0
limit_request_fields = 100
limit_request_field_size = 8190
# one access line per request is written by the app itself (service/observability.py), with the
# request id, route, tenant and duration; gunicorn's own lines use the same format
accesslog = None
logconfig_dict = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"lagebild": {"()": "service.gunicorn_conf.log_formatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "lagebild"}},
    "root": {"level": "INFO", "handlers": []},  # the app adds its own (lagebild_core.logs.configure)
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
                "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False}},
}


def log_formatter():
    from lagebild_core import logs
    from lagebild_core.settings import Settings
    return logs.formatter(Settings.from_env())


def post_worker_init(worker):
    """A process is ready (forked, gevent patched, app loaded): rehearse a POST's database and
    broker work (service/warm_up.py), start its refresher (service/refresher.py), and move the
    objects loading made (modules, the app, SQLAlchemy's and marshmallow's structures) out of the
    garbage collector's reach: they live as long as the process, and a full collection walked them
    all, 60-80 ms in which the process answered nobody (two of them in a 40 s run of
    benchmarks/read_latency.py: the p99 tail of the reads)."""
    import gc

    from service.warm_up import warm_up
    app = getattr(worker, "wsgi", None)
    if hasattr(app, "extensions"):
        warm_up(app)
    gc.collect()
    gc.freeze()
    extensions = getattr(app, "extensions", {})
    if "lagebild_refresher" in extensions:
        extensions["lagebild_refresher"].start()


def child_exit(server, worker):
    """A gunicorn process ended: forget its live gauges (prometheus-client multiprocess mode)."""
    from lagebild_core.metrics import process_exited
    process_exited(worker.pid)
# no runtime control socket (gunicorn 25+): one shared path per user, and a management surface
control_socket_disable = True
