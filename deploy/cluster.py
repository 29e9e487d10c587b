"""The portal deployed on several machines, checked on loopback (run by ``make cluster``).

Starts its own services on 127.0.0.1: Redis (port 6390; cache, sessions and Celery's broker),
moto's S3 server with a public and a private bucket, an SMTP server in this process, a Celery
worker and beat, two gunicorn app servers that each have their own empty media directories (so
nothing can work through a shared disk), and nginx in front of them (deploy/nginx.conf). The
database is ``ciep_cluster`` on the machine's PostgreSQL, dropped and created again, migrated
and loaded with the demo. Then it checks, through nginx and each app server directly, what a
deployment on several machines must keep true, prints a table, and exits non-zero when any
check failed. Every child runs in its own process group and is stopped on the way out,
whatever happens; the logs stay in the temporary directory when something failed.
"""

import atexit
import contextlib
import html
import http.client
import io
import json
import mimetypes
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import boto3
from aiosmtpd.controller import Controller
from botocore.config import Config
from PIL import Image, ImageChops, ImageOps, ImageStat
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
NGINX_PORT, APP_A_PORT, APP_B_PORT, S3_PORT, SMTP_PORT = 8400, 8401, 8402, 8403, 8404
REDIS_PORT = 6390
NGINX = f"http://{HOST}:{NGINX_PORT}"
APP = {"A": f"http://{HOST}:{APP_A_PORT}", "B": f"http://{HOST}:{APP_B_PORT}"}
S3 = f"http://{HOST}:{S3_PORT}"
POSTGRES = f"postgres://postgres@{HOST}:5432"
DATABASE = "ciep_cluster"
PUBLIC_BUCKET, PRIVATE_BUCKET = "ciep-cluster-public", "ciep-cluster-private"
S3_KEY, S3_SECRET, S3_REGION = "cluster-access-key", "cluster-secret-key", "us-east-1"
DEMO_PASSWORD = "ciep-demo-2022"
EXHIBITOR, TALENT = "exhibitor@ciep.example", "expert@ciep.example"
RACE_PEOPLE, RACE_SEATS = 200, 50
PAGE_SECONDS = 3  # the longest an anonymous page may take with Redis down
PAGES = [("home", "/"), ("catalogue", "/exhibition/"), ("jobs", "/jobs/"), ("programme", "/forum/")]
BILINGUAL_PAGES = [path for _name, path in PAGES] + [f"/zh-hans{path}" for _n, path in PAGES]
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


class CheckFailed(Exception):
    """A check's expectation did not hold; the message is the table's figures."""


class ServiceError(Exception):
    """A service did not start or did not become ready."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def wait_until(what: str, ready, *, timeout: float, process=None, interval: float = 0.2):
    """Poll ``ready()`` until it returns something true; bounded by ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"{what} exited with status {process.returncode}")
        try:
            result = ready()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise ServiceError(f"{what} not ready after {timeout:.0f} s")
        time.sleep(interval)


# --- Processes ------------------------------------------------------------------------------


class Supervisor:
    """Children started in their own process groups, each logging to a file; stops them all."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.processes: dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        with open(self.log(name), "ab") as log:
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def tail(self, name: str, lines: int = 15) -> str:
        try:
            text = self.log(name).read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def signal(self, name: str, number: int) -> None:
        """Send ``number`` to the whole group (a gunicorn master and its workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, number)

    def stop(self, name: str, timeout: float = 10) -> None:
        process = self.processes.get(name)
        if process is None:
            return
        self.signal(name, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
        # Whatever is left of the group (the leader gone, or not listening to SIGTERM).
        self.signal(name, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)
        del self.processes[name]

    def exited(self) -> list[str]:
        """Which children are no longer running, with their exit status."""
        return [
            f"{name} (status {process.returncode})"
            for name, process in self.processes.items()
            if process.poll() is not None
        ]

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)


class MailServer:
    """An SMTP server in this process that records every message; stopped and started at will."""

    def __init__(self, port: int):
        self.port = port
        self.controller = None
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def count_to(self, address: str) -> int:
        with self.lock:
            return sum(address in recipients for recipients, _content in self.messages)


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes
    url: str
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urljoin(self.url, self.headers.get("Location", ""))

    def __str__(self):
        return f"{self.status} from {urlsplit(self.url).path}"


class Browser:
    """A visitor. Cookies are kept by name for 127.0.0.1 on every port, as a browser would keep
    them for one site; secure cookies are sent over plain HTTP, as behind a TLS proxy."""

    def __init__(self, cookies: dict[str, str] | None = None, *, address: str | None = None):
        self.cookies = dict(cookies or {})
        # The visitor's own address, as the proxy in front of the app servers reports it.
        self.address = address

    def request(self, method, url, *, body=None, headers=None, timeout=30) -> Response:
        parts = urlsplit(url)
        all_headers = {"Accept-Language": "en", **(headers or {})}
        if self.address:
            all_headers["X-Forwarded-For"] = self.address
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        started = time.monotonic()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            connection.request(method, target, body=body, headers=all_headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(answer.status, answer.headers, data, url, time.monotonic() - started)

    def get(self, url: str, *, follow: bool = True, timeout: float = 30) -> Response:
        response = self.request("GET", url, timeout=timeout)
        for _hop in range(5):
            if not (follow and response.status in (301, 302, 303, 307, 308)):
                break
            response = self.request("GET", response.location, timeout=timeout)
        return response

    def post(self, url: str, fields, files=(), timeout: float = 60) -> Response:
        body, content_type = multipart(fields, files)
        return self.request(
            "POST", url, body=body, headers={"Content-Type": content_type}, timeout=timeout
        )

    def submit(self, page: Response, field_name: str, values=None, files=()) -> Response:
        """Fill and send the page's form that has ``field_name``, as a browser would."""
        form = find_form(page.text, field_name)
        fields = [(k, v) for k, v in form.fields if k not in (values or {})]
        fields += list((values or {}).items())
        return self.post(urljoin(page.url, form.action or page.url), fields, files)


def multipart(fields, files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    for name, filename, content_type, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """The forms of a page with what a browser would send unchanged: hidden and filled inputs,
    checked boxes and radios, selected options (or a single select's first), textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.select = None  # (name, multiple, options, selected)
        self.textarea = None  # (name, parts)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(action=html.unescape(attrs.get("action") or "")))
            return
        if not self.forms or tag not in ("input", "select", "option", "textarea"):
            return
        form, name = self.forms[-1], attrs.get("name")
        if tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select[2].append(value)
            if "selected" in attrs:
                self.select[3].append(value)
        elif name and tag == "select":
            self.select = (name, "multiple" in attrs, [], [])
        elif name and tag == "textarea":
            self.textarea = (name, [])
        elif name and tag == "input":
            form.names.add(name)
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            name, multiple, options, selected = self.select
            chosen = selected or ([] if multiple else options[:1])
            self.forms[-1].names.add(name)
            self.forms[-1].fields += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            self.forms[-1].names.add(name)
            self.forms[-1].fields.append((name, "".join(parts).removeprefix("\n")))
            self.textarea = None


def find_form(page: str, field_name: str) -> Form:
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if field_name in form.names:
            return form
    raise CheckFailed(f"no form with a field {field_name!r} on the page")


def sign_in(email: str) -> Browser:
    """Sign in through nginx with the real form."""
    browser = Browser()
    page = browser.get(f"{NGINX}/accounts/login/")
    expect(page.status == 200, f"sign-in page answered {page}")
    answer = browser.submit(page, "login", {"login": email, "password": DEMO_PASSWORD})
    expect(
        answer.status == 302 and "/accounts/login" not in answer.location,
        f"signing in as {email} answered {answer}",
    )
    return browser


# --- The cluster ----------------------------------------------------------------------------


def sql(query: str) -> str:
    return subprocess.run(
        ["psql", f"{POSTGRES}/{DATABASE}", "-tAc", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def s3_client():
    return boto3.client(
        "s3",
        endpoint_url=S3,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
    )


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


def redis_answers() -> bool:
    with socket.create_connection((HOST, REDIS_PORT), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


def http_status(url: str) -> int:
    return Browser().get(url, follow=False, timeout=5).status


class Cluster:
    """The services of one run and what the checks share."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.supervisor = Supervisor(directory)
        self.mail = MailServer(SMTP_PORT)
        self.fixtures: dict = {}
        self.browsers: dict[str, Browser] = {}
        self.application: int | None = None

    def env(self, machine: str) -> dict[str, str]:
        """The environment of one machine: its own empty media and private directories."""
        disk = self.directory / "machines" / machine
        for folder in ("media", "private"):
            (disk / folder).mkdir(parents=True, exist_ok=True)
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CELERY_", "AWS_"))
            and key not in ("DATABASE_URL", "REDIS_URL")
        }
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "ciep.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "cluster-check-secret-key-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_TRUSTED_PROXIES": "1",
            "DJANGO_PORTAL_URL": NGINX,
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
            "CELERY_BROKER_URL": f"redis://{HOST}:{REDIS_PORT}/1",
            "DJANGO_S3_ENDPOINT_URL": S3,
            "DJANGO_S3_REGION": S3_REGION,
            "DJANGO_S3_ACCESS_KEY_ID": S3_KEY,
            "DJANGO_S3_SECRET_ACCESS_KEY": S3_SECRET,
            "DJANGO_S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
            "DJANGO_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "DJANGO_S3_CUSTOM_DOMAIN": f"{HOST}:{NGINX_PORT}/media",
            "DJANGO_S3_URL_PROTOCOL": "http:",
            "DJANGO_S3_ADDRESSING_STYLE": "path",
            "DJANGO_MEDIA_ROOT": str(disk / "media"),
            "DJANGO_PRIVATE_ROOT": str(disk / "private"),
            "DJANGO_STATIC_ROOT": str(self.directory / "static"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": HOST,
            "DJANGO_EMAIL_PORT": str(SMTP_PORT),
            "DJANGO_EMAIL_TIMEOUT": "5",
            "DJANGO_TASK_RETRY_DELAY": "1",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env("manage"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise ServiceError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def start(self, *services: tuple[str, list[str], object], timeout: float = 60) -> None:
        """Start every ``(name, argv, ready)`` at once, then wait until each is ready."""
        began = time.monotonic()
        started = [
            (name, self.supervisor.start(name, argv, self.env(name)), ready)
            for name, argv, ready in services
        ]
        for name, process, ready in started:
            try:
                wait_until(name, ready, timeout=timeout, process=process)
            except ServiceError as error:
                tail = self.supervisor.tail(name)
                raise ServiceError(f"{error}; its log ends:\n{tail}") from None
            say(f"  {name} ready after {time.monotonic() - began:.1f} s")

    def log_says(self, name: str, text: str):
        return lambda: text in self.supervisor.log(name).read_text(errors="replace")

    # The services, in the order they are needed.

    def start_redis(self) -> None:
        argv = ["redis-server", "--port", str(REDIS_PORT), "--bind", HOST, "--save", ""]
        argv += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)]
        self.start(("redis", argv, redis_answers), timeout=15)

    def start_object_store(self) -> None:
        argv = [PYTHON, "-m", "moto.server", "-H", HOST, "-p", str(S3_PORT)]
        self.start(("s3", argv, lambda: http_status(f"{S3}/moto-api/") == 200), timeout=30)
        client = s3_client()
        for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
            client.create_bucket(Bucket=bucket)
        public_read = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*",
                }
            ],
        }
        client.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=json.dumps(public_read))

    def prepare_database(self) -> None:
        for statement in (
            f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)',
            f'CREATE DATABASE "{DATABASE}"',
        ):
            subprocess.run(["psql", f"{POSTGRES}/postgres", "-qc", statement], check=True)
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput")
        self.manage("seed_demo")
        code = (ROOT / "deploy" / "cluster_fixtures.py").read_text()
        output = self.manage("shell", "-c", code)
        self.fixtures = json.loads(output.strip().splitlines()[-1])

    def start_tasks(self) -> None:
        worker = [PYTHON, "-m", "celery", "-A", "ciep", "worker", "--loglevel", "INFO"]
        worker += ["--concurrency", "2", "--without-gossip", "--without-mingle"]
        beat = [PYTHON, "-m", "celery", "-A", "ciep", "beat", "--loglevel", "INFO"]
        beat += ["--schedule", str(self.directory / "beat-schedule")]
        beat += ["--pidfile", str(self.directory / "beat.pid")]
        self.start(
            ("worker", worker, self.log_says("worker", " ready.")),
            ("beat", beat, self.log_says("beat", "beat: Starting")),
        )

    def start_apps(self) -> None:
        def app(machine: str, port: int):
            argv = [PYTHON, "-m", "gunicorn", "ciep.wsgi", "--bind", f"{HOST}:{port}"]
            # gunicorn.conf.py applies as in production (threaded workers, the header sent with
            # the body), with fewer workers for a two-core machine.
            argv += ["--workers", "2"]
            argv += ["--timeout", "60", "--graceful-timeout", "5", "--error-logfile", "-"]
            argv += ["--access-logfile", "-"]
            argv += ["--access-logformat", '%(h)s "%(r)s" %(s)s %(M)sms id=%({x-request-id}i)s']
            return (f"app-{machine}", argv, lambda: app_is_ready(f"{HOST}:{port}"))

        self.start(app("a", APP_A_PORT), app("b", APP_B_PORT))

    def start_nginx(self) -> None:
        prefix = self.directory / "nginx"
        prefix.mkdir()
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        for name, value in {
            "PREFIX": prefix,
            "PORT": NGINX_PORT,
            "APP_A_PORT": APP_A_PORT,
            "APP_B_PORT": APP_B_PORT,
            "S3_PORT": S3_PORT,
            "PUBLIC_BUCKET": PUBLIC_BUCKET,
        }.items():
            config = config.replace(f"@{name}@", str(value))
        (prefix / "nginx.conf").write_text(config)
        argv = ["nginx", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)]
        self.start(("nginx", argv, lambda: http_status(f"{NGINX}/health/") == 200), timeout=15)

    def up(self) -> None:
        busy = [p for p in (NGINX_PORT, APP_A_PORT, APP_B_PORT, S3_PORT, SMTP_PORT, REDIS_PORT)]
        busy = [port for port in busy if port_is_open(port)]
        if busy:
            raise ServiceError(f"ports already in use on {HOST}: {busy}")
        say("Redis, the object store and the mail server")
        self.start_redis()
        self.start_object_store()
        self.mail.start()
        say(f"database {DATABASE}: migrate, collect static files, load the demo")
        self.prepare_database()
        say("Celery worker and beat")
        self.start_tasks()
        say("two app servers and nginx")
        self.start_apps()
        self.start_nginx()

    def down(self) -> None:
        self.supervisor.stop_all()
        self.mail.stop()

    def browser(self, email: str) -> Browser:
        if email not in self.browsers:
            self.browsers[email] = sign_in(email)
        return self.browsers[email]


def app_is_ready(address: str) -> bool:
    """``/ready/`` answers 200 (or, on a portal without it, ``/health/`` does)."""
    status = http_status(f"http://{address}/ready/")
    if status == 404:
        status = http_status(f"http://{address}/health/")
    return status == 200


# --- Test files -----------------------------------------------------------------------------


def png() -> tuple[bytes, Image.Image]:
    """A small picture no other run drew (its colours are random)."""
    image = Image.new("RGB", (64, 48))
    colours = [tuple(secrets.randbelow(256) for _ in range(3)) for _ in range(4)]
    image.putdata([colours[(x // 16 + y // 12) % 4] for y in range(48) for x in range(64)])
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue(), image


def pdf() -> bytes:
    """A real one-page PDF no other run sent (its subject is random)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Subject": f"cluster check {uuid.uuid4().hex}"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# --- The checks -----------------------------------------------------------------------------


def check_image_shared(cluster: Cluster) -> str:
    """An exhibitor's logo uploaded through server A is shown by server B and served by nginx."""
    exhibitor = cluster.browser(EXHIBITOR)
    pk = cluster.fixtures["exhibitor"]
    page = exhibitor.get(f"{APP['A']}/exhibition/exhibitors/{pk}/edit/")
    expect(page.status == 200, f"booth edit page on A answered {page}")
    content, picture = png()
    saved = exhibitor.submit(page, "logo", files=[("logo", "logo.png", "image/png", content)])
    expect(saved.status == 302, f"saving the logo through A answered {saved}")
    sources = {}
    for who, browser in (("visitor", Browser()), ("exhibitor", exhibitor)):
        booth = browser.get(f"{APP['B']}/exhibition/exhibitors/{pk}/")
        expect(booth.status == 200, f"booth page on B for the {who} answered {booth}")
        found = re.search(r'<img src="([^"]+)"[^>]*class="exhibitor-logo"', booth.text)
        expect(found is not None, f"booth page on B shows the {who} no logo")
        sources[who] = urljoin(booth.url, html.unescape(found.group(1)))
    expect(len(set(sources.values())) == 1, f"B shows different logos: {sources}")
    url = sources["visitor"]
    expect(url.startswith(f"{NGINX}/media/"), f"logo's address {url} is not under nginx's /media/")
    image = Browser().get(url)
    expect(image.status == 200, f"the logo through nginx answered {image.status} ({url})")
    key = urlsplit(url).path.removeprefix("/media/")
    stored = s3_client().get_object(Bucket=PUBLIC_BUCKET, Key=key)["Body"].read()
    expect(image.body == stored, "nginx served other bytes than the public bucket holds")
    # The page shows the thumbnail made at upload (WebP, lossy, fitted into its square with
    # transparent bars): the upload's picture drawn the same way differs by 10-18 levels on
    # average (WebP's compression of its sharp edges), another picture of random colours by 80+.
    served = Image.open(io.BytesIO(image.body)).convert("RGBA")
    expected = ImageOps.pad(
        picture.convert("RGBA"), served.size, method=Image.Resampling.LANCZOS, color=(0, 0, 0, 0)
    )
    served, expected = served.convert("RGB"), expected.convert("RGB")
    difference = max(ImageStat.Stat(ImageChops.difference(served, expected)).mean)
    expect(difference < 30, f"the logo differs from the upload (mean difference {difference:.1f})")
    return (
        f"uploaded via A; B's page (visitor and exhibitor) shows {url.removeprefix(NGINX)}; "
        f"nginx serves it ({len(image.body)} B, {image.headers.get('Content-Type')}) = "
        f"the public bucket's object, the upload's picture (mean difference {difference:.1f})"
    )


def check_media_inert(cluster: Cluster) -> str:
    """A brochure uploaded through A (named evil.html) is stored as a PDF and nginx serves it as
    a download never sniffed; the logo too comes sandboxed and unsniffed, but shown inline."""
    exhibitor = cluster.browser(EXHIBITOR)
    pk = cluster.fixtures["exhibitor"]
    page = exhibitor.get(f"{APP['A']}/exhibition/exhibitors/{pk}/content/")
    expect(page.status == 200, f"booth content page on A answered {page}")
    document, title = pdf(), f"Brochure {uuid.uuid4().hex[:8]}"
    saved = exhibitor.submit(
        page,
        "brochure-file",
        {"brochure-title_en": title},
        files=[("brochure-file", "evil.html", "text/html", document)],
    )
    expect(saved.status == 302, f"saving the brochure through A answered {saved}")
    # Another server sees a change within a second (ciep/caching.py, VERSIONS_MAX_AGE).
    deadline = time.monotonic() + 3
    while True:
        booth = exhibitor.get(f"{APP['B']}/exhibition/exhibitors/{pk}/")
        found = re.search(rf'<a href="([^"]+)">{title}</a>', booth.text)
        if found is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    expect(found is not None, "booth page on B lists no such brochure")
    logo = re.search(r'<img src="([^"]+)"[^>]*class="exhibitor-logo"', booth.text)
    expect(logo is not None, "booth page on B shows no logo")
    wanted = {
        "document": ("application/pdf", "attachment"),
        # The thumbnail made at upload, of the type its stored name says (the portal chose it).
        "logo": (mimetypes.guess_type(urlsplit(logo.group(1)).path)[0], None),
    }
    figures = []
    for what, link in (("document", found.group(1)), ("logo", logo.group(1))):
        url = urljoin(booth.url, html.unescape(link))
        expect(url.startswith(f"{NGINX}/media/"), f"the {what}'s address {url} is not nginx's")
        answer = Browser().get(url)
        expect(answer.status == 200, f"the {what} through nginx answered {answer.status}")
        headers = answer.headers
        served = (headers.get("Content-Type"), headers.get("Content-Disposition"))
        expect(served == wanted[what], f"the {what} was served as {served}")
        expect(headers.get("X-Content-Type-Options") == "nosniff", f"the {what} may be sniffed")
        policy = headers.get("Content-Security-Policy")
        expect(policy == "default-src 'none'; sandbox", f"the {what}'s policy is {policy!r}")
        figures.append(f"{what} {urlsplit(url).path.rsplit('.', 1)[-1]}: {served[1] or 'inline'}")
    expect(found.group(1).endswith(".pdf"), f"evil.html was stored as {found.group(1)}")
    return ", ".join(figures) + "; both nosniff and sandboxed"


def check_cv_any_server(cluster: Cluster) -> str:
    """A CV uploaded through A, an application through B, the employer's download through A."""
    talent = cluster.browser(TALENT)
    profile = talent.get(f"{APP['A']}/jobs/profile/")
    expect(profile.status == 200, f"talent profile page on A answered {profile}")
    cv = pdf()
    saved = talent.submit(profile, "cv", files=[("cv", "cv.pdf", "application/pdf", cv)])
    expect(saved.status == 302, f"saving the profile with a CV through A answered {saved}")
    posting = cluster.fixtures["cv_posting"]
    form = talent.get(f"{APP['B']}/jobs/{posting}/apply/")
    expect(form.status == 200, f"application form on B answered {form}")
    letter = "Applied through the second app server by the cluster check."
    sent = talent.submit(form, "cover_letter", {"cover_letter": letter})
    expect(
        sent.status == 302 and "/applications/" in sent.location,
        f"applying through B answered {sent} (to {sent.location})",
    )
    found = sql(
        "SELECT a.id FROM recruitment_application a JOIN recruitment_talentprofile t "
        "ON t.id = a.talent_id JOIN ciep_user u ON u.id = t.user_id "
        f"WHERE a.posting_id = {posting} AND u.email = '{TALENT}'"
    )
    expect(found.isdigit(), f"no application of {TALENT} to posting {posting} in the database")
    cluster.application = int(found)
    download = cluster.browser(EXHIBITOR).get(f"{APP['A']}/jobs/applications/{found}/cv/")
    expect(download.status == 200, f"employer's CV download through A answered {download}")
    expect(download.body == cv, f"the CV downloaded ({len(download.body)} B) is not the upload")
    return (
        f"CV ({len(cv)} B) saved via A, application {found} via B, "
        f"employer's download via A: the same {len(download.body)} bytes"
    )


def check_private_files(cluster: Cluster) -> str:
    """The CV's object answers 403/404 to visitors; the portal's CV link asks them to sign in."""
    expect(cluster.application is not None, "needs the application of the CV check")
    name = sql(f"SELECT cv FROM recruitment_application WHERE id = {cluster.application}")
    keys = [
        item["Key"]
        for item in s3_client().list_objects_v2(Bucket=PRIVATE_BUCKET).get("Contents", [])
        if name and item["Key"].endswith(name)
    ]
    expect(len(keys) == 1, f"the CV {name!r} is not one object of the private bucket: {keys}")
    key, visitor, figures = keys[0], Browser(), []
    for label, url in (
        ("nginx /media/", f"{NGINX}/media/{key}"),
        ("nginx /media/ with ../", f"{NGINX}/media/..%2F{PRIVATE_BUCKET}/{key}"),
    ):
        answer = visitor.get(url, follow=False)
        expect(answer.status in (403, 404), f"{label} {key} answered {answer.status}")
        figures.append(f"{label} {answer.status}")
    direct = visitor.get(f"{S3}/{PRIVATE_BUCKET}/{key}", follow=False)
    if direct.status == 200:
        figures.append("S3 endpoint 200: moto checks no credentials, not checked there")
    else:
        expect(direct.status in (403, 404), f"S3 endpoint answered {direct.status}")
        figures.append(f"S3 endpoint {direct.status}")
    link = visitor.get(f"{NGINX}/jobs/applications/{cluster.application}/cv/", follow=False)
    to_login = link.status == 302 and "/accounts/login/" in link.location
    expect(to_login or link.status in (403, 404), f"portal's CV link answered {link.status}")
    figures.append(f"portal's CV link {link.status}{' to sign-in' if to_login else ''}")
    metrics = visitor.get(f"{NGINX}/metrics", follow=False)
    expect(metrics.status == 403, f"nginx answered {metrics.status} for /metrics")
    figures.append(f"/metrics {metrics.status}")
    return f"{key}: " + ", ".join(figures)


def check_seat_race(cluster: Cluster) -> str:
    """200 people register at once for 50 seats, half through A and half through B."""
    session = cluster.fixtures["race_session"]
    name = cluster.fixtures["session_cookie_name"]
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    fields = [("csrfmiddlewaretoken", token), ("attendance", "on_site")]
    barrier = threading.Barrier(RACE_PEOPLE, timeout=30)
    statuses: list[str] = [""] * RACE_PEOPLE

    def register(number: int, key: str) -> None:
        server = "AB"[number % 2]
        # Each person on a connection of their own, so the per-address limit on registrations
        # sees 200 people, not one.
        address = f"10.20.{number // 250}.{number % 250 + 1}"
        browser = Browser({name: key, "csrftoken": token}, address=address)
        try:
            barrier.wait()
            answer = browser.post(f"{APP[server]}/forum/sessions/{session}/register/", fields)
            statuses[number] = str(answer.status)
        except Exception as error:  # reported in the table
            statuses[number] = type(error).__name__

    started = time.monotonic()
    threads = [
        threading.Thread(target=register, args=(number, key))
        for number, key in enumerate(cluster.fixtures["race_cookies"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    seconds = time.monotonic() - started
    tally = {status: statuses.count(status) for status in sorted(set(statuses))}
    rows = sql(
        "SELECT status, count(*) FROM forums_registration "
        f"WHERE session_id = {session} GROUP BY status ORDER BY status"
    )
    counts = dict(line.split("|") for line in rows.splitlines())
    confirmed = int(counts.get("confirmed", 0))
    figures = (
        f"{RACE_PEOPLE} POSTs (half via A, half via B) in {seconds:.1f} s answered {tally}; "
        f"database: {confirmed} confirmed, {counts.get('waiting', 0)} waiting"
    )
    expect(tally == {"302": RACE_PEOPLE} and confirmed == RACE_SEATS, figures)
    expect(int(counts.get("waiting", 0)) == RACE_PEOPLE - RACE_SEATS, figures)
    return figures


def check_mail_outage(cluster: Cluster) -> str:
    """With the mail server down, actions that send mail still succeed; the mail follows."""
    address = f"signup-{uuid.uuid4().hex[:8]}@cluster.example"
    expected = ["attendee@cluster.example", "employer@cluster.example", address]
    answers = {}
    cluster.mail.stop()
    stopped = time.monotonic()
    try:
        attendee = Browser(
            {cluster.fixtures["session_cookie_name"]: cluster.fixtures["attendee_cookie"]}
        )
        page = attendee.get(f"{NGINX}/forum/sessions/{cluster.fixtures['open_session']}/")
        answers["forum registration"] = attendee.submit(page, "attendance")
        talent = cluster.browser(TALENT)
        form = talent.get(f"{NGINX}/jobs/{cluster.fixtures['mail_posting']}/apply/")
        letter = {"cover_letter": "Sent while the mail server was down."}
        answers["job application"] = talent.submit(form, "cover_letter", letter)
        visitor = Browser()
        signup = visitor.get(f"{NGINX}/accounts/signup/")
        password = "Cluster-" + secrets.token_hex(8)
        values = {"email": address, "name": "Cluster Sign-up"}
        values |= {"password1": password, "password2": password}
        answers["sign-up"] = visitor.submit(signup, "email", values)
        # Leave the server down long enough for the first attempts to fail and be retried.
        time.sleep(max(0.0, 5 - (time.monotonic() - stopped)))
    finally:
        down_for = time.monotonic() - stopped
        cluster.mail.start()
    restarted = time.monotonic()
    shown = ", ".join(f"{action} {answer.status}" for action, answer in answers.items())
    expect(all(answer.status < 500 for answer in answers.values()), f"answers: {shown}")
    expect(all(answer.status == 302 for answer in answers.values()), f"answers: {shown}")
    try:
        wait_until("mail", lambda: all(cluster.mail.count_to(a) for a in expected), timeout=60)
    except ServiceError:
        missing = [a for a in expected if not cluster.mail.count_to(a)]
        raise CheckFailed(f"{shown}; after 60 s no mail to {missing}") from None
    counts = [cluster.mail.count_to(a) for a in expected]
    addresses = ", ".join(f"'{a}'" for a in expected)
    attempts = sql(f'SELECT "to", attempts FROM ciep_outgoingmail WHERE "to" IN ({addresses})')
    tries = dict(line.split("|") for line in attempts.splitlines())
    return (
        f"mail server down {down_for:.0f} s: {shown}; all 3 mails arrived "
        f"{time.monotonic() - restarted:.1f} s after the restart (copies: {counts}, "
        f"attempts in the outbox: {[int(tries.get(a, 0)) for a in expected]})"
    )


def check_redis_outage(cluster: Cluster) -> str:
    """With Redis down, anonymous pages in both languages still answer, quickly."""
    cluster.supervisor.stop("redis")
    try:
        answers = [(path, Browser().get(f"{NGINX}{path}", timeout=20)) for path in BILINGUAL_PAGES]
    finally:
        cluster.start_redis()
    failed = [
        f"{path} {answer.status} in {answer.seconds:.1f} s"
        for path, answer in answers
        if answer.status != 200 or answer.seconds > PAGE_SECONDS
    ]
    expect(not failed, "with Redis down: " + "; ".join(failed))
    path, slowest = max(answers, key=lambda pair: pair[1].seconds)
    return (
        f"{len(answers)} pages (English and /zh-hans/) answered 200 with Redis down; "
        f"slowest {path} in {slowest.seconds:.2f} s"
    )


def check_server_killed(cluster: Cluster) -> str:
    """One app server killed under load: nginx retries on the other, no GET is lost."""
    threads_count, duration, kill_after = 8, 20.0, 6.0
    access_log = cluster.directory / "nginx" / "nginx-access.log"
    log_start = access_log.stat().st_size
    results: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()

    def load(number: int) -> None:
        browser = Browser()
        for request in range(100_000):
            if time.monotonic() - started > duration:
                return
            path = BILINGUAL_PAGES[(number + request) % len(BILINGUAL_PAGES)]
            try:
                status = str(browser.get(f"{NGINX}{path}", follow=False, timeout=20).status)
            except http.client.IncompleteRead:
                # B died between a response's header and its body: nginx had passed the header
                # on and could not retry. A lost GET all the same.
                status = "cut short"
            except Exception as error:  # counted as lost
                status = type(error).__name__
            with lock:
                results.append(status)

    threads = [threading.Thread(target=load, args=(number,)) for number in range(threads_count)]
    for thread in threads:
        thread.start()
    time.sleep(kill_after)
    cluster.supervisor.signal("app-b", signal.SIGKILL)
    for thread in threads:
        thread.join(duration + 30)
    with open(access_log, "rb") as log:
        log.seek(log_start)
        retried = sum(bool(re.search(rb"upstream=\S+, ", line)) for line in log)
    tally = {status: results.count(status) for status in sorted(set(results))}
    figures = (
        f"{len(results)} GETs by {threads_count} threads in {duration:.0f} s, B killed "
        f"(SIGKILL, master and workers) at {kill_after:.0f} s: {tally}; "
        f"{retried} retried on A by nginx"
    )
    expect(set(tally) == {"200"}, figures)
    return figures


CHECKS = [
    ("1. image uploaded via A, shown by B", check_image_shared),
    ("1b. brochure and logo served as inert files", check_media_inert),
    ("2. CV and application on either server", check_cv_any_server),
    ("3. private files hidden from visitors", check_private_files),
    (f"4. {RACE_PEOPLE} registrations, {RACE_SEATS} seats", check_seat_race),
    ("5. mail server down, mail delivered later", check_mail_outage),
    ("6. Redis down, anonymous pages answer", check_redis_outage),
    ("7. app server killed under load", check_server_killed),
]


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    headers = ("check", "result", "seconds", "figures")
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
    print()
    for row in [headers, tuple("-" * width for width in widths) + ("-" * 7,), *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        print("  ".join(cells), row[3])
    print()


def main() -> int:
    directory = Path(tempfile.mkdtemp(prefix="ciep-cluster-"))
    directory.chmod(0o755)  # nginx's workers (user nobody) read and write under it
    cluster = Cluster(directory)
    atexit.register(cluster.down)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda signum, _frame: sys.exit(128 + signum))
    rows, failed = [], True
    try:
        cluster.up()
        say("services ready; checking")
        for title, check in CHECKS:
            began = time.monotonic()
            try:
                figures, result = check(cluster), "ok"
            except CheckFailed as error:
                figures, result = str(error), "FAIL"
            except Exception as error:  # an unexpected error fails the check, not the run
                figures, result = f"{type(error).__name__}: {error}", "FAIL"
            if result == "FAIL" and cluster.supervisor.exited():
                figures += f" [exited: {', '.join(cluster.supervisor.exited())}]"
            rows.append((title, result, f"{time.monotonic() - began:.1f}", figures))
            say(f"{title}: {result}")
        failed = any(row[1] != "ok" for row in rows)
    except ServiceError as error:
        print(f"\nThe cluster did not start: {error}", file=sys.stderr)
    except (KeyboardInterrupt, SystemExit):
        print("\nInterrupted: stopping every service.", file=sys.stderr)
    finally:
        cluster.down()
    if rows:
        print_table(rows)
    say(f"{'FAILED' if failed else 'all checks passed'} in {time.monotonic() - STARTED:.0f} s")
    if failed:
        print(f"Logs of every service are in {directory}")
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
