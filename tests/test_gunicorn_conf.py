import datetime
import json
import runpy
import signal
import sys
import types
from pathlib import Path

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
VARIABLES = (
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "FORWARDED_ALLOW_IPS",
    "DJANGO_LOG_FORMAT",
    "DJANGO_DEBUG",
    "PROMETHEUS_MULTIPROC_DIR",
)


@pytest.fixture
def load(monkeypatch):
    def load(**environ):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return types.SimpleNamespace(**runpy.run_path(str(CONF)))

    return load


def test_defaults(load):
    conf = load()
    assert (conf.bind, conf.worker_class, conf.threads) == ("127.0.0.1:8000", "gthread", 4)
    assert 1 <= conf.workers <= 8
    assert (conf.timeout, conf.graceful_timeout, conf.keepalive) == (30, 25, 5)
    assert (conf.max_requests, conf.max_requests_jitter) == (2000, 200)
    assert conf.forwarded_allow_ips == "127.0.0.1,::1"
    assert conf.accesslog == "-"


def test_values_from_the_environment(load):
    conf = load(
        GUNICORN_BIND="0.0.0.0:8350",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        FORWARDED_ALLOW_IPS="10.0.0.2",
    )
    assert (conf.bind, conf.workers, conf.threads, conf.forwarded_allow_ips) == (
        "0.0.0.0:8350",
        3,
        8,
        "10.0.0.2",
    )


def test_gunicorn_accepts_every_setting(load):
    conf = load()
    config = Config()
    for name, value in vars(conf).items():
        if name in config.settings:
            config.set(name, value)
    assert config.worker_class_str == "gthread"
    assert config.logger_class is conf.AccessLogger


def access_line(conf, path, query=""):
    logger = conf.AccessLogger(Config())
    response = types.SimpleNamespace(
        status="404 Not Found", headers=[("X-Request-ID", "0123456789abcdef")], sent=12
    )
    request = types.SimpleNamespace(headers=[("USER-AGENT", 'curl "7"')])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": 'curl "7"',
        "ciep.client_ip": "203.0.113.9",
    }
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=42))
    return conf.access_log_format % logger.atoms_wrapper_class(atoms)


def test_json_access_line_survives_what_the_visitor_typed(load):
    conf = load(DJANGO_LOG_FORMAT="json")
    line = json.loads(access_line(conf, '/a"b\\\n/someone@example.org/'))
    del line["time"]
    assert line == {
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": 'GET /a"b\\\n/[email]/ 404',
        "request_id": "0123456789abcdef",
        "method": "GET",
        "path": '/a"b\\\n/[email]/',
        "status": 404,
        "duration_ms": 42,
        "client_ip": "203.0.113.9",
        "bytes": "12",
        "user_agent": 'curl "7"',
    }


def test_text_access_line_when_debugging(load):
    conf = load(DJANGO_DEBUG="1")
    line = access_line(conf, "/health/")
    assert line.startswith("203.0.113.9 [")
    assert line.endswith('"GET /health/ HTTP/1.1" 404 12 42ms "curl \\"7\\"" 0123456789abcdef')


@pytest.fixture
def health(monkeypatch):
    calls = []
    module = types.SimpleNamespace(start_draining=lambda: calls.append("draining"))
    monkeypatch.setitem(sys.modules, "ciep.health", module)
    import ciep

    monkeypatch.setattr(ciep, "health", module, raising=False)
    return calls


def fake_worker():
    log = types.SimpleNamespace(
        info=lambda *args: None, warning=lambda *args: None, exception=lambda *args: None
    )
    return types.SimpleNamespace(pid=1234, log=log)


def test_sigterm_marks_the_worker_draining_before_it_stops(load, health):
    conf = load()
    original = signal.getsignal(signal.SIGTERM)
    stopped = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.append(health[:]))
    try:
        conf.post_worker_init(fake_worker())
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)
    finally:
        signal.signal(signal.SIGTERM, original)
    assert stopped == [["draining"]]


def test_quick_stop_marks_the_worker_draining(load, health):
    load().worker_int(fake_worker())
    assert health == ["draining"]


def test_multiprocess_directory_is_emptied_and_dead_workers_marked(load, tmp_path):
    directory = tmp_path / "prometheus"
    conf = load(PROMETHEUS_MULTIPROC_DIR=str(directory))
    conf.on_starting(None)
    (directory / "counter_99.db").write_bytes(b"")
    (directory / "gauge_livesum_1234.db").write_bytes(b"")
    conf.on_starting(None)
    assert sorted(path.name for path in directory.iterdir()) == []

    (directory / "gauge_livesum_1234.db").write_bytes(b"")
    conf.child_exit(None, fake_worker())
    assert sorted(path.name for path in directory.iterdir()) == []


class Wire:
    """A client socket that records each write."""

    def __init__(self):
        self.writes = []

    def sendall(self, data):
        self.writes.append(bytes(data))


def respond(method="GET", headers=(("Content-Type", "text/plain"),), body=(b"ok",), version=(1, 1)):
    from gunicorn.http.wsgi import Response

    request = types.SimpleNamespace(
        method=method, version=version, headers=[], should_close=lambda: True, uri="/"
    )
    wire = Wire()
    response = Response(request, wire, Config())
    response.start_response("200 OK", list(headers))
    for part in body:
        response.write(part)
    response.close()
    return wire.writes


def test_a_response_leaves_in_one_write_with_its_header(load):
    load()
    load()  # read again, as on a reload: the header is still sent, once
    [write] = respond(headers=[("Content-Type", "text/plain"), ("Content-Length", "2")])
    head, body = write.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert body == b"ok"


def test_a_response_without_body_still_sends_its_header(load):
    load()
    [write] = respond(method="HEAD", headers=[("Content-Length", "2")])
    assert write.startswith(b"HTTP/1.1 200 OK\r\n") and write.endswith(b"\r\n\r\n")


def test_a_chunked_response_sends_its_header_then_its_chunks(load):
    load()
    writes = respond(body=(b"ab", b"cd"))
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Transfer-Encoding: chunked" in writes[0]
    assert b"".join(writes[1:]) == b"2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n"


def test_a_response_does_not_name_the_server_software(load):
    load()
    load()  # read again, as on a reload
    [write] = respond(headers=[("Content-Type", "text/plain"), ("Content-Length", "2")])
    head = write.split(b"\r\n\r\n", 1)[0].lower()
    assert [line for line in head.split(b"\r\n") if line.startswith(b"server:")] == []
    assert b"gunicorn" not in head
    assert head.startswith(b"http/1.1 200 ok\r\n")
