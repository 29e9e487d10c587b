"""Scale benchmark of the admin's CSV exports on an edition the size of the 17th.

1. Builds the data on PostgreSQL (database ``ciep_bench_exports``): ``generate_edition 17``
   with the 17th edition's figures (110,000 attendances, 12,000 applications). Set
   ``BENCH_REUSE_DATA=1`` to keep the data of an earlier run.
2. Runs each export through the admin action, as an organiser who selected every row of the
   change list ("select all"), each in a fresh process so that its memory is its own.
3. Prints, per export: rows, database queries, seconds, rows a second, and the growth of the
   process's peak resident memory from just before the request to the last byte read.

Nothing here passes or fails on a figure: the figures are for people to read.
"""

import json
import os
import resource
import subprocess
import sys
import time

from edition import PYTHON, ROOT, SIZE, build_edition, django_setup, production_env

DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ciep_bench_exports"
)
EDITION = "17"
# (label, model, action name)
EXPORTS = {
    "attendance": ("attendances (ciep)", "ciep.Attendance", "export_csv"),
    "applications": ("applications (recruitment)", "recruitment.Application", "export_csv"),
}

ENV = production_env(DATABASE)


def resident_kib() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def sign_in_organiser(client, User):
    """An organiser signs in as the back office asks: password, then a second factor.

    The second step takes a recovery code: a TOTP code is refused a second time within its
    30 seconds, and each export is measured in a process of its own that signs in anew.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    password = "bench exports organiser passphrase"
    organiser, _created = User.objects.get_or_create(
        email="bench-exports@ciep.example",
        defaults={"name": "Bench Organiser", "is_staff": True, "is_superuser": True},
    )
    organiser.set_password(password)
    organiser.save()
    EmailAddress.objects.update_or_create(
        user=organiser, email=organiser.email, defaults={"verified": True, "primary": True}
    )
    Authenticator.objects.filter(user=organiser).delete()
    TOTP.activate(organiser, "BENCHEXPORTSORGANISERSECONDFACTR")
    code = RecoveryCodes.activate(organiser).get_unused_codes()[0]
    client.post("/accounts/login/", {"login": organiser.email, "password": password})
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302, response.status_code
    return client


def measure(key: str) -> dict:
    """One export through the admin, in this (fresh) process."""
    django_setup(ENV)
    from django.apps import apps
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from ciep.models import User

    _label, model_label, action = EXPORTS[key]
    model = apps.get_model(model_label)
    client = sign_in_organiser(Client(), User)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.get("/health/")  # warm the per-process caches (URLs, middleware, translations)

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    first = model.objects.order_by("pk").values_list("pk", flat=True).first()
    data = {"action": action, "select_across": "1", "index": "0", ACTION_CHECKBOX_NAME: [first]}
    before = resident_kib()
    started = time.monotonic()
    size = lines = 0
    with connection.execute_wrapper(count):
        response = client.post(url, data)
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
        response.close()
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    return {
        "rows": lines - 1,
        "queries": queries,
        "seconds": seconds,
        "bytes": size,
        "peak_growth_mib": max(0, peak - before) / 1024,
        "streaming": response.streaming,
    }


def main():
    build_edition(ENV, EDITION)
    if sys.argv[1:2] == ["--build-only"]:
        return
    lines = [
        f"Data: generate_edition {EDITION} {' '.join(SIZE)} (PostgreSQL)",
        "Each export: the admin action on every row of the change list, in a fresh process.",
        "",
        "| export | rows | queries | seconds | rows/s | peak RSS growth MiB | MiB written |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, (label, _model, _action) in EXPORTS.items():
        output = subprocess.run(
            [PYTHON, __file__, "--measure", key],
            cwd=ROOT,
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        lines.append(
            f"| {label} | {result['rows']} | {result['queries']} | {result['seconds']:.1f} | "
            f"{result['rows'] / result['seconds']:.0f} | {result['peak_growth_mib']:.1f} | "
            f"{result['bytes'] / 2**20:.1f} |"
        )
        print(lines[-1], flush=True)
    report = "\n".join(lines)
    print()
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "exports.md").write_text(report + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(sys.argv[2])))
    else:
        main()
