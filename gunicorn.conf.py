"""gunicorn's settings for the portal, read from the working directory by `gunicorn ciep.wsgi`.

Every value comes from the environment (see the README's Settings table); the command line
still overrides any of them.
"""

import json
import os
import re
import signal
from datetime import UTC, datetime

from gunicorn.glogging import Logger, SafeAtoms


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _debugging() -> bool:
    return os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 x cores + 1, but at most 8: each worker thread keeps its own database connection
# (DJANGO_CONN_MAX_AGE), and several app servers share one PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, 8))
# Threads answer requests while the worker's main thread keeps telling the arbiter it is alive,
# so a long streaming export is not killed by `timeout` as a sync worker would be.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 25
keepalive = 5
# Recycle workers now and then (at different moments) so that no slow leak grows for ever.
max_requests = 2000
max_requests_jitter = 200
# gunicorn's control socket sits at one path per user: two app servers on one host would share
# it. The portal is run by its process manager, not through that socket.
control_socket_disable = True
# The addresses of the proxies whose X-Forwarded-Proto is believed (gunicorn's own variable).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on stdout. The client's address is the one the portal worked out from
# X-Forwarded-For (DJANGO_TRUSTED_PROXIES), left in the environ by its request-id middleware;
# the path is logged without its query string, which can hold what people typed.
accesslog = "-"
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "") or ("text" if _debugging() else "json")
if LOG_FORMAT == "json":
    access_log_format = (
        '{"time": "%(iso_time)s", "level": "INFO", "logger": "gunicorn.access", '
        '"message": "%(m)s %(U)s %(s)s", "request_id": "%({x-request-id}o)s", '
        '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "duration_ms": %(M)s, '
        '"client_ip": "%({ciep.client_ip}e)s", "bytes": "%(b)s", "user_agent": "%(a)s"}'
    )
else:
    access_log_format = (
        '%({ciep.client_ip}e)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms '
        '"%(a)s" %({x-request-id}o)s'
    )


# What the visitor typed (the path, the query string, the referring page) can hold an e-mail
# address; it stays out of the log.
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
TYPED_ATOMS = ("U", "q", "r", "f")


class JSONSafeAtoms(SafeAtoms):
    """The access log's values escaped for a JSON string (quotes, backslashes, control bytes).

    Only the values the format uses are escaped, when the line is written.
    """

    def __init__(self, atoms):
        dict.__init__(self, atoms)

    def __getitem__(self, key):
        value = super().__getitem__(key)
        return json.dumps(value)[1:-1] if isinstance(value, str) else value


class AccessLogger(Logger):
    """gunicorn's logger, with an ISO 8601 time and values that cannot break a JSON line."""

    atoms_wrapper_class = JSONSafeAtoms if LOG_FORMAT == "json" else SafeAtoms

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in TYPED_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = EMAIL_ADDRESS.sub("[email]", atoms[key])
        atoms["iso_time"] = datetime.now(UTC).isoformat(timespec="milliseconds")
        return atoms


logger_class = AccessLogger

# Static files go through the same one-write path as pages (below), not os.sendfile().
sendfile = False


def _header_with_the_body():
    """Send a response's header in the same write as the first part of its body.

    gunicorn writes the header, then the body, in two writes. A server that dies between the
    two (killed, out of memory) leaves the proxy holding a header it has passed on: it cannot
    retry the request on another server, and the visitor gets a page cut short. Held back
    until the body's first write, the header leaves with it; a page, which Django hands over
    in one piece, is then on the wire whole or not at all, and a proxy retries what it never
    received. Chunked responses and responses without a body send their header as before.
    """
    from gunicorn.http.wsgi import Response

    if getattr(Response, "header_with_the_body", False):
        return  # the config is read again on a reload: wrap gunicorn's own methods once
    send_headers, emit_body, close = Response.send_headers, Response._emit_body, Response.close

    def hold_headers(self):
        if self.headers_sent or self.chunked:
            return send_headers(self)
        held, sock = [], self.sock
        self.sock = type("HeldSocket", (), {"sendall": staticmethod(held.append)})()
        try:
            send_headers(self)
        finally:
            self.sock = sock
        self.held_header = b"".join(held)

    def release(self):
        header = self.__dict__.pop("held_header", b"")
        if header:
            self.sock.sendall(header)

    def emit_with_header(self, data):
        header = self.__dict__.pop("held_header", b"")
        if header and not self.chunked:
            self.sock.sendall(header + data)
            return
        if header:
            self.sock.sendall(header)
        emit_body(self, data)

    def close_with_header(self):
        release(self)
        close(self)

    Response.send_headers = hold_headers
    Response._emit_body = emit_with_header
    Response.close = close_with_header
    Response.header_with_the_body = True


_header_with_the_body()


def _no_server_header():
    """Send no ``Server`` header: a response does not tell which software (and version) runs.

    gunicorn writes ``Server: gunicorn`` in its own first lines of every response, with no
    setting to leave it out; those lines are sent without it.
    """
    from gunicorn.http.wsgi import Response

    if getattr(Response, "without_server_header", False):
        return  # the config is read again on a reload: wrap gunicorn's own method once
    default_headers = Response.default_headers

    def without_server(self):
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    Response.default_headers = without_server
    Response.without_server_header = True


_no_server_header()


def _start_draining(worker):
    # Imported here: the hook runs in a worker that has loaded the portal.
    from ciep import health

    try:
        health.start_draining()
    except Exception:
        worker.log.exception("Worker %s could not mark itself draining", worker.pid)
    else:
        worker.log.info("Worker %s is draining", worker.pid)


def post_worker_init(worker):
    """On SIGTERM (a graceful stop) the worker first marks itself draining, then stops.

    gunicorn calls no hook on SIGTERM, only on SIGINT and SIGQUIT (`worker_int`), so the
    worker's own handler is wrapped. During `graceful_timeout` the requests in flight finish
    and the readiness page answers 503, so the proxy sends new ones elsewhere.
    """
    stop = signal.getsignal(signal.SIGTERM)

    def drain_then_stop(signum, frame):
        _start_draining(worker)
        if callable(stop):
            stop(signum, frame)

    signal.signal(signal.SIGTERM, drain_then_stop)
    # signal.signal() makes the signal interrupt system calls again; gunicorn wants it not to.
    signal.siginterrupt(signal.SIGTERM, False)


def worker_int(worker):
    """SIGINT or SIGQUIT: a quick stop, but the portal is told all the same."""
    _start_draining(worker)


def on_starting(server):
    """Prometheus's multiprocess directory must start empty: old files would add old counts."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    """A worker that exits no longer counts in the live gauges of the multiprocess registry."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
