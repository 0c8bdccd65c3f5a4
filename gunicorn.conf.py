"""Gunicorn settings: the access log never records a client address (reporters' privacy)."""

workers = 2
threads = 1
timeout = 60
graceful_timeout = 20
limit_request_line = 8190
accesslog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = "127.0.0.1"
