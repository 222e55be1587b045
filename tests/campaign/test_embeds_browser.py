"""A partner's page on another origin frames the embeds, in headless Chromium.

The live server answers on http://localhost:<port>; the partner's page is served from
http://127.0.0.1:<another port>, a different origin and a different site, as a partner's would be.
"""

import http.server
import os
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from campaign.models import CampaignTarget, Tally, Target
from requests_app.models import DataRequest, Status

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread for as long as the browser lives;
    # the tests' own ORM calls (and the database flush after each) are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def partner_site():
    """Serves one HTML page per path from another origin; the test says what each page holds."""
    pages: dict[str, str] = {}

    class PartnerPage(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "not found").encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def framing(url: str) -> str:
    return f'<!doctype html><html lang="en"><title>Partner</title><h1>Our partner</h1><iframe id="embed" src="{url}" title="Takeback" width="600" height="900"></iframe>'


def test_the_counter_renders_inside_a_partners_page_on_another_origin(page, live_server, campaign, partner_site):
    partner, pages = partner_site
    assert not live_server.url.startswith(partner)
    pages["/news.html"] = framing(f"{live_server.url}/embed/clearview/counter")

    page.goto(f"{partner}/news.html")

    counter = page.frame_locator("#embed").locator("#counter-heading")
    expect(counter).to_have_text("Be among the first to send this letter")


def test_the_form_submits_inside_a_partners_page_on_another_origin(page, live_server, campaign, partner_site):
    partner, pages = partner_site
    pages["/act.html"] = framing(f"{live_server.url}/embed/clearview/")

    page.goto(f"{partner}/act.html")
    frame = page.frame_locator("#embed")
    frame.get_by_label("First name").fill("Jeanne")
    frame.get_by_label("Last name").fill("Tremblay")
    frame.get_by_label("Email address").fill("jeanne.tremblay@example.org")
    frame.get_by_label("Where do you live?").select_option("CA-ON")
    frame.locator("#id_consent").check()
    frame.locator("#request-form [type=submit]").click()

    expect(frame.locator("h1")).to_have_text("Check your inbox")
    request = DataRequest.objects.get()
    assert (request.email, request.status) == ("jeanne.tremblay@example.org", Status.AWAITING_CONFIRMATION)


def test_a_partner_not_on_the_campaigns_list_and_any_other_page_are_refused(page, live_server, campaign, partner_site):
    partner, pages = partner_site
    campaign.embed_origins = "https://only-this-partner.example"
    campaign.save(update_fields=["embed_origins"])
    pages["/embed.html"] = framing(f"{live_server.url}/embed/clearview/counter")
    pages["/page.html"] = framing(f"{live_server.url}/en/c/clearview/")

    for path in ("/embed.html", "/page.html"):
        # Chromium replaces a frame the site refused with its own error page.
        with page.expect_event("framenavigated", predicate=lambda frame: frame.url.startswith("chrome-error://")):
            page.goto(f"{partner}{path}")
        assert page.frame_locator("#embed").locator("#counter-heading, #request-form").count() == 0


def test_a_partner_on_the_campaigns_list_may_frame_it(page, live_server, campaign, partner_site):
    partner, pages = partner_site
    campaign.embed_origins = f"https://someone-else.example {partner}"
    campaign.save(update_fields=["embed_origins"])
    pages["/news.html"] = framing(f"{live_server.url}/embed/clearview/counter")

    page.goto(f"{partner}/news.html")

    expect(page.frame_locator("#embed").locator("#counter-heading")).to_have_text(
        "Be among the first to send this letter"
    )


def serious_violations(page) -> list[tuple[str, str]]:
    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_embeds_and_the_dashboard_pass_the_accessibility_check(page, live_server, campaign, organiser):
    browser_login = Client()
    browser_login.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": browser_login.cookies["sessionid"].value, "url": live_server.url}]
    )
    # A second target, so the dashboard also shows the answers per target.
    second = Target.objects.create(name="Facefinder Example Ltd", privacy_email="privacy@facefinder.example.org")
    CampaignTarget.objects.create(campaign=campaign, target=second, position=1)
    for target, status in ((campaign.ordered_targets()[0], Status.DELIVERED), (second, Status.DELIVERED),
                           (second, "outcome:verification")):  # fmt: skip
        Tally.objects.create(
            campaign=campaign, day=timezone.localdate(), law="pipeda", jurisdiction="CA-QC", language="fr",
            target=target, status=status, shard=0, count=12,
        )  # fmt: skip

    for path in ("/embed/clearview/", "/embed/clearview/counter", "/embed/clearview/check-your-inbox/",
                 "/en/dashboard/", "/en/dashboard/clearview/", "/fr/dashboard/clearview/"):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert serious_violations(page) == [], path
    expect(page.locator("#outcomes-by-target")).to_contain_text("Facefinder Example Ltd")
    # On a phone the dashboard does not scroll sideways, and its column headings stay whole words.
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/en/dashboard/clearview/", "/fr/dashboard/clearview/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        widest_heading = page.evaluate(
            "Math.max(...[...document.querySelectorAll('th')].map(th => th.getClientRects().length))"
        )
        assert page.evaluate(
            "[...document.querySelectorAll('thead th')].every(th => th.scrollWidth <= th.clientWidth + 1)"
        ), path
        assert widest_heading >= 1, path


def test_the_partners_frame_follows_the_forms_height_and_carries_its_source(page, live_server, campaign, partner_site):
    """The partner adds the site's embed-frame.js; a frame far too short for the form grows to fit it,
    so the send button is never cut off, and the embed's ?source= goes with the submission."""
    partner, pages = partner_site
    pages["/short.html"] = (
        '<!doctype html><html lang="en"><title>Partner</title><h1>Our partner</h1>'
        f'<iframe id="embed" src="{live_server.url}/embed/clearview/?source=partner-x" title="Takeback" width="360"'
        ' height="150"></iframe>'
        f'<script src="{live_server.url}/static/js/embed-frame.js"></script>'
    )
    page.set_viewport_size({"width": 390, "height": 800})

    page.goto(f"{partner}/short.html")
    frame = page.frame_locator("#embed")
    button = frame.locator("#request-form [type=submit]")
    expect(button).to_be_attached()
    page.wait_for_function("document.getElementById('embed').getBoundingClientRect().height > 600")

    frame_box = page.locator("#embed").bounding_box()
    button_box = button.bounding_box()
    assert button_box["y"] + button_box["height"] <= frame_box["y"] + frame_box["height"]
    frame.get_by_label("First name").fill("Jeanne")
    frame.get_by_label("Last name").fill("Tremblay")
    frame.get_by_label("Email address").fill("jeanne.tremblay@example.org")
    frame.get_by_label("Where do you live?").select_option("CA-ON")
    frame.locator("#id_consent").check()
    button.click()
    expect(frame.locator("h1")).to_have_text("Check your inbox")
    assert DataRequest.objects.get().source == "partner-x"


def test_a_message_from_another_origin_does_not_resize_the_frame(page, live_server, campaign, partner_site):
    partner, pages = partner_site
    pages["/forged.html"] = (
        '<!doctype html><html lang="en"><title>Partner</title>'
        f'<iframe id="embed" src="{live_server.url}/embed/clearview/counter" title="Takeback" height="150"></iframe>'
        f'<script src="{live_server.url}/static/js/embed-frame.js"></script>'
    )

    page.goto(f"{partner}/forged.html")
    page.frame_locator("#embed").locator("#counter-heading").wait_for()
    # The counter's own message fits the frame to it first.
    page.wait_for_function("document.getElementById('embed').getBoundingClientRect().height !== 150")
    height_before = page.evaluate("document.getElementById('embed').getBoundingClientRect().height")
    # The partner page itself (another origin than the site's) pretends to be the embed.
    page.evaluate("window.postMessage({takeback: 'frame-height', height: 3000}, '*')")
    page.wait_for_timeout(300)

    assert page.evaluate("document.getElementById('embed').getBoundingClientRect().height") == height_before
