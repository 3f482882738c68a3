"""gunicorn's settings for the Lagebild API (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`).

`lagebild serve` passes this file and adds only the address and the number of processes, so the
embedded default, the Dockerfile and docker-compose.yml run the same front door. Why: see
service/frontdoor.py and docs/security.md.
"""
worker_class = "service.frontdoor.Worker"
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
accesslog = "-"
# no runtime control socket (gunicorn 25+): one shared path per user, and a management surface
control_socket_disable = True
