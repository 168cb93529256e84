"""Web security: headers on every kind of response, templates that keep the CSP, no secrets."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from helpdesk.services.attachments import IncomingFile
from helpdesk.services.tickets import ticket_reply

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_a_staff_page_loads_only_from_our_own_origin(client, ines, ticket):
    client.force_login(ines)
    response = client.get(reverse("helpdesk:ticket", args=[ticket.reference]))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    # Django adds the nonce only when a page used it: none of ours needs an inline script.
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "http" not in policy  # no third-party host anywhere
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    # A page with people's data is never kept by the browser or a proxy.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_uploaded_file_is_served_only_as_a_sandboxed_download(client, ines, ticket):
    reply = ticket_reply(
        ticket=ticket,
        author=ines,
        body="x",
        attachments=[IncomingFile("notes.txt", b"<script>alert(1)</script>", "text/html")],
    )
    attachment = reply.attachments.get()
    client.force_login(ines)
    response = client.get(reverse("helpdesk:attachment", args=[attachment.pk]))
    assert response["Content-Type"].startswith("text/plain")  # from the extension, not the claim
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_html_file_is_refused_whatever_it_claims_to_be(client, ines, ticket):
    client.force_login(ines)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.html", b"<script>alert(1)</script>", "image/png")
    response = client.post(
        reverse("helpdesk:ticket_reply", args=[ticket.reference]),
        {"body": "x", "status": "answered", "attachments": [upload]},
    )
    assert response.status_code == 400
    assert not ticket.messages.filter(attachments__isnull=False).exists()


# --- Templates keep the CSP's promise ---------------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("helpdesk/*/templates")]
# A page of the export archive is opened from the person's disk, never served: it may style itself.
NOT_SERVED = {"privacy/export/index.html"}
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def templates():
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            name = path.relative_to(folder).as_posix()
            if name not in NOT_SERVED:
                yield name, path.read_text(encoding="utf-8")


def test_the_templates_were_found():
    names = {name for name, _text in templates()}
    assert {"base.html", "privacy/contact.html", "registration/login.html"} <= names


@pytest.mark.parametrize("rule", ["handlers", "style", "scripts", "external"])
def test_no_template_breaks_the_content_security_policy(rule):
    broken = []
    for name, text in templates():
        if rule == "handlers" and INLINE_HANDLER.search(text):
            broken.append(name)
        if rule == "style" and (STYLE_ATTRIBUTE.search(text) or "<style" in text.lower()):
            broken.append(name)
        if rule == "scripts":
            for attributes in SCRIPT_TAG.findall(text):
                if "src=" not in attributes and "csp_nonce" not in attributes:
                    broken.append(name)
        if rule == "external" and EXTERNAL.search(text):
            broken.append(name)
    assert not broken, f"{rule}: {broken}"


# --- Production settings ------------------------------------------------------------------------


def production_settings(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "PYTEST_VERSION"}}
    env.update(
        DEBUG="false",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="infolijn.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_NAME','CSRF_COOKIE_NAME',"
        "'SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT','SESSION_COOKIE_HTTPONLY',"
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE','SESSION_COOKIE_AGE','SESSION_IDLE_TIMEOUT',"
        "'PASSWORD_RESET_TIMEOUT','PASSWORD_HASHERS','AUTHENTICATION_BACKENDS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_cookies_are_secure_host_only_and_sessions_expire(tmp_path):
    values = production_settings(tmp_path)
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SESSION_COOKIE_AGE"] <= 12 * 3600
    assert values["SESSION_IDLE_TIMEOUT"] < values["SESSION_COOKIE_AGE"]
    assert values["PASSWORD_RESET_TIMEOUT"] <= 24 * 3600
    assert "MD5" not in " ".join(values["PASSWORD_HASHERS"])
    assert values["AUTHENTICATION_BACKENDS"] == ["helpdesk.privacy.auth.ThrottledModelBackend"]


# --- No secret in the code ------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "Twilio account": re.compile(r"\bAC[0-9a-f]{32}\b"),
    "Twilio API key": re.compile(r"\bSK[0-9a-f]{32}\b"),
    "AWS key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[0-9A-Za-z-]{10,}"),
    "credentials in a URL": re.compile(
        r"\b(?:postgres(?:ql)?|redis|smtp|imaps?)://[^\s:/@]+:[^\s@/]+@"
    ),
    "assigned secret": re.compile(
        r"""(?i)(?:auth_token|api_key|secret_key|password|secret)\s*=\s*["'][^"'\s]{12,}["']"""
    ),
}
ALLOWED = {
    # Development-only defaults, refused in production (tests/test_settings.py proves it).
    "insecure-development-key-do-not-use-in-production",
    "infolijn-demo",  # the demo users' password, printed by ./dev demo on purpose
    "user:pass@",  # the README's example DATABASE_URL
    "not-a-real-secret",  # fake values in tests say so
    "AC" + "0" * 32,  # the demo's Twilio account: all zeros, no account has it
}


SKIPPED_FOLDERS = {
    ".git",
    ".venv",
    ".tools",
    "var",
    "node_modules",
    "vendor",
    "__pycache__",
    ".hypothesis",
}
SCANNED_SUFFIXES = {
    ".py",
    ".html",
    ".txt",
    ".md",
    ".toml",
    ".cfg",
    ".ini",
    ".yml",
    ".yaml",
    ".json",
    ".sh",
    ".js",
    ".css",
}


def source_files():
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if set(relative.parts) & SKIPPED_FOLDERS or not path.is_file():
            continue
        if path.suffix in SCANNED_SUFFIXES or path.name in {"dev", "run"}:
            yield relative.as_posix(), path.read_text(encoding="utf-8", errors="replace")


def test_no_secret_is_written_in_the_code():
    found = []
    for name, text in source_files():
        for label, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                if not any(allowed in match.group(0) for allowed in ALLOWED):
                    found.append(f"{name}: {label}: {match.group(0)[:40]}")
    assert not found, found


def test_the_secret_scan_can_fail():
    # Put together here, so this file does not itself hold what the scan looks for.
    sample = (
        "TWILIO_AUTH_TOKEN = "
        + '"0123456789'
        + 'abcdef0123"\n'
        + "postgresql://app:"
        + "hunter22@db/x"
    )
    labels = {label for label, pattern in SECRET_PATTERNS.items() if pattern.search(sample)}
    assert labels == {"assigned secret", "credentials in a URL"}
