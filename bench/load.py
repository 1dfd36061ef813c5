"""The load test: concurrent clients for a fixed time, half reading public pages, half analysts
logging and submitting updates through the real forms. Run by `bench/run` on PostgreSQL.

Every client counts what it saw; afterwards the database is asked how many submissions it
holds, so a lost write cannot hide behind a redirect.
"""

import http.client
import http.cookies
import random
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


class Client:
    """One visitor of a local server: keeps its cookies (Secure ones too, as the proxy would
    hand them to a browser over HTTPS) and speaks as if through the TLS-terminating proxy.
    Also used by tests/test_multi_server.py."""

    def __init__(self, port: int):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
        connection = http.client.HTTPConnection(self.host, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def submit_form(self, page: str, action: str, data: dict) -> tuple[int, str]:
        """GET `page`, then POST its hidden fields (CSRF token, …) and `data` to `action`."""
        status, html = self.get(page)
        if status != 200:
            return status, html
        return self.request("POST", action, {**_hidden_fields(html), **data})

    def sign_in(self, username: str, password: str) -> tuple[int, str]:
        login = "/accounts/login/"
        return self.submit_form(login, login, {"username": username, "password": password})


def _hidden_fields(html: str) -> dict[str, str]:
    """The form's hidden inputs (CSRF token, formset management form)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


@dataclass
class Tally:
    reads: list[float] = field(default_factory=list)
    submissions: list[float] = field(default_factory=list)
    submitted_summaries: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


@dataclass
class LoadReport:
    marker: str
    clients: int
    seconds: float
    tally: Tally

    def summary(self, counted: int) -> str:
        reads, submissions = self.tally.reads, self.tally.submissions
        sent = len(self.tally.submitted_summaries)

        def latency(samples):
            if len(samples) < 2:
                return "n/a"
            cuts = statistics.quantiles(samples, n=100)
            return f"p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"

        return (
            f"\nLoad test (PostgreSQL): {self.clients} clients for {self.seconds:.0f} s\n"
            f"  public reads:        {len(reads):6,} ({len(reads) / self.seconds:,.1f}/s; "
            f"{latency(reads)})\n"
            f"  submitted updates:   {sent:6,} ({sent / self.seconds:,.1f}/s; "
            f"{latency(submissions)})\n"
            f"  in the database:     {counted:6,} submitted updates with this run's marker\n"
            f"  errors:              {len(self.tally.errors):6,}"
            + "".join(f"\n    {e}" for e in self.tally.errors[:10])
        )

    def problems(self, counted: int) -> list[str]:
        problems = []
        if self.tally.errors:
            problems.append(f"load test: {len(self.tally.errors)} errors")
        sent = len(self.tally.submitted_summaries)
        if counted != sent:
            problems.append(f"load test: {sent} submissions answered, {counted} in the database")
        if not sent or not self.tally.reads:
            problems.append("load test: no submissions or no reads were made")
        return problems


def _reader(port: int, paths: list[str], deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    client = Client(port)
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        started = time.monotonic()
        try:
            status, _ = client.request("GET", path)
        except OSError as error:
            tally.error(f"GET {path}: {error}")
            continue
        if status != 200:
            tally.error(f"GET {path}: {status}")
            continue
        with tally.lock:
            tally.reads.append(time.monotonic() - started)


def _analyst(
    port: int, username: str, password: str, slugs, deadline, tally: Tally, marker, seed
) -> None:
    rng = random.Random(seed)
    client = Client(port)
    status, _ = client.sign_in(username, password)
    if status != 302:
        tally.error(f"{username} could not sign in: {status}")
        return
    number = 0
    while time.monotonic() < deadline:
        number += 1
        slug = rng.choice(slugs)
        summary = f"{marker} {username} #{number}"
        started = time.monotonic()
        try:
            status, html = client.request("GET", f"/commitments/{slug}/updates/new/")
            if status != 200:
                tally.error(f"GET the form for {slug}: {status}")
                continue
            form = {
                **_hidden_fields(html),
                "as_of": time.strftime("%Y-%m-%d"),
                "status": "in_progress",
                "summary": summary,
                "body": "Logged by the load test.",
                "new-0-title": f"Load test evidence {username} {number}",
                "new-0-url": f"https://example.org/load/{marker.split()[-1]}/{username}/{number}",
                "new-0-kind": "news",
                "action": "submit",
            }
            status, html = client.request("POST", f"/commitments/{slug}/updates/new/", form)
        except OSError as error:
            tally.error(f"submit on {slug}: {error}")
            continue
        if status != 302:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.DOTALL)
            tally.error(f"submit on {slug}: {status} {' '.join(errors)[:200]}")
            continue
        with tally.lock:
            tally.submissions.append(time.monotonic() - started)
            tally.submitted_summaries.append(summary)


def run_load_test(port: int, facts: dict, seconds: int = 30, clients: int = 20) -> LoadReport:
    marker = f"[load {int(time.time())}]"
    slugs = facts["commitment_slugs"]
    rng = random.Random(1)
    paths = [
        "/",
        "/commitments/",
        "/commitments/?sort=-progress",
        "/commitments/?page=2",
        "/api/commitments/",
        "/feeds/updates.atom",
        *(f"/commitments/{slug}/" for slug in rng.sample(slugs, min(40, len(slugs)))),
        *(f"/sectors/{slug}/" for slug in facts["sector_slugs"]),
    ]
    tally = Tally()
    deadline = time.monotonic() + seconds
    readers = clients // 2
    threads = [
        threading.Thread(target=_reader, args=(port, paths, deadline, tally, i))
        for i in range(readers)
    ]
    threads += [
        threading.Thread(
            target=_analyst,
            args=(port, username, facts["analyst_password"], slugs, deadline, tally, marker, i),
        )
        for i, username in enumerate(facts["analysts"][: clients - readers])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadReport(marker=marker, clients=clients, seconds=seconds, tally=tally)
