"""The supporter's whole journey in headless Chromium, in English and in French, checked with axe.

Everything is real: Debian's Chromium driven by Playwright, the site on pytest-django's live server,
PostgreSQL, a Celery worker process on Redis mailing the SMTP sink, and axe-core in the page.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from campaign.models import CampaignTarget, Target
from requests_app import tokens
from requests_app.followup import mark_overdue_requests, schedule_follow_ups
from requests_app.models import DataRequest, Status
from tests.conftest import start_worker, stop_worker, wait_until, worker_environment
from tests.pages import supporter_pages
from tests.supporters import days_ago

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe rates each violation minor, moderate, serious or critical; the last two block a release.
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class Wording:
    """What the supporter reads at each step, in one language."""

    language: str
    browser_locale: str
    campaign_title: str
    first_name_label: str
    name_error: str
    check_inbox: str
    confirmation_subject: str
    confirm_heading: str
    send_button: str
    # Queued, or already gone if the worker was quicker than the page.
    thanks_heading: re.Pattern
    follow_link: str
    sent_status: str


ENGLISH = Wording(
    language="en",
    browser_locale="en-CA",
    campaign_title="Take back your face from Clearview AI",
    first_name_label="First name",
    name_error="Please use only letters, spaces, hyphens, apostrophes and periods.",
    check_inbox="Check your inbox",
    confirmation_subject="Confirm your data request: Take back your face from Clearview AI",
    confirm_heading="Read and send your letter",
    send_button="Send this letter in my name",
    thanks_heading=re.compile(r"Thank you: your letter (is in the queue|has gone)"),
    follow_link="Follow your request",
    sent_status="Sent",
)
FRENCH = Wording(
    language="fr",
    browser_locale="fr-CA",
    campaign_title="Reprenez votre visage à Clearview AI",
    first_name_label="Prénom",
    name_error="Veuillez n'utiliser que des lettres, des espaces, des traits d'union, des apostrophes et des points.",
    check_inbox="Vérifiez votre boîte de réception",
    confirmation_subject="Confirmez votre demande\u00a0: Reprenez votre visage à Clearview AI",
    confirm_heading="Lisez votre lettre et envoyez-la",
    send_button="Envoyer cette lettre en mon nom",
    thanks_heading=re.compile("Merci\u00a0: votre lettre (est dans la file d’envoi|est partie)"),
    follow_link="Suivre votre demande",
    sent_status="Envoyée",
)


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
    # with a running loop unless told the code is synchronous anyway (it is).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def worker(transactional_db, live_server, sink):
    """A real worker whose emails link back to the live server."""
    process = start_worker(worker_environment(smtp_port=sink.port, SITE_URL=live_server.url))
    yield process
    stop_worker(process)


def assert_accessible(page: Page, what: str) -> None:
    violations = [
        violation for violation in Axe().run(page).response["violations"] if violation["impact"] in BLOCKING_IMPACTS
    ]
    report = "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"])
        for violation in violations
    )
    if violations:
        print(f"axe on the {what} page:\n{report}")
    assert not violations, f"axe found serious or critical violations on the {what} page:\n{report}"


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def fill_the_form_with_the_keyboard(page: Page) -> None:
    """Every field by keyboard alone: the skip link, Tab through the form, type, Space, Enter."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    # The pitch's source links and the share buttons come first, then the form.
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_id(page) == "id_first_name":
            break
        assert page.evaluate("document.activeElement.tagName") == "A"
    assert focused_id(page) == "id_first_name"
    page.keyboard.type("Jeanne")
    page.keyboard.press("Tab")
    page.keyboard.type("Tremblay")
    page.keyboard.press("Tab")
    page.keyboard.type("jeanne.tremblay@example.org")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_jurisdiction"
    page.keyboard.type("Ontario")  # the select's type-ahead
    expect(page.locator("#id_jurisdiction")).to_have_value("CA-ON")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_kind_0"  # the radio group is one stop, on the default choice
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Read the privacy policy.")).to_be_focused()
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_consent"
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_wants_reminder"
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_wants_updates"
    page.keyboard.press("Tab")
    # The honeypot between the last box and the button is skipped: it is not in the tab order.
    assert focused_id(page) == "submit-id-submit"
    page.keyboard.press("Enter")


def fill_the_form_with_a_mistake_then_correct_it(page: Page, wording: Wording) -> None:
    page.get_by_label(wording.first_name_label).fill("Jeanne")
    page.locator("#id_last_name").fill("Tremblay2")
    page.locator("#id_email").fill("jeanne.tremblay@example.org")
    page.locator("#id_jurisdiction").select_option("CA-ON")
    page.locator("#id_consent").check()
    page.locator("#submit-id-submit").click()

    last_name = page.locator("#id_last_name")
    # The page starts where the errors are listed.
    expect(page.locator("#form-errors")).to_be_focused()
    expect(last_name).to_have_attribute("aria-invalid", "true")
    expect(last_name).to_have_accessible_description(wording.name_error)
    assert_accessible(page, "campaign (with an error)")
    last_name.fill("Tremblay")
    page.locator("#submit-id-submit").click()


def walk_the_journey(page: Page, *, live_server, sink, wording: Wording, by_keyboard: bool) -> DataRequest:
    page.goto(f"{live_server.url}/en/c/clearview/")
    if wording.language != "en":
        page.get_by_role("link", name="Français").click()
        expect(page).to_have_url(f"{live_server.url}/fr/c/clearview/")
    expect(page.locator("html")).to_have_attribute("lang", wording.language)
    expect(page.get_by_role("heading", level=1)).to_have_text(wording.campaign_title)
    assert_accessible(page, "campaign")

    if by_keyboard:
        fill_the_form_with_the_keyboard(page)
    else:
        fill_the_form_with_a_mistake_then_correct_it(page, wording)
    expect(page.get_by_role("heading", level=1)).to_have_text(wording.check_inbox)
    assert_accessible(page, "check your inbox")

    confirmation = wait_until(lambda: sink.messages, what="the confirmation email")[0]
    # A long encoded subject is folded onto a continuation line; the parser keeps its leading space.
    # (A header may carry the French non-breaking space as a plain one.)
    assert confirmation["Subject"].strip().replace("\u00a0", " ") == wording.confirmation_subject.replace("\u00a0", " ")
    link = re.search(rf"{re.escape(live_server.url)}/{wording.language}/r/confirm/\S+/", confirmation.get_content())
    assert link, confirmation.get_content()
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text(wording.confirm_heading)
    request = DataRequest.objects.get()
    expect(page.locator(".letter")).to_have_text(request.letter_body.strip())
    assert_accessible(page, "confirmation")
    assert request.status == Status.AWAITING_CONFIRMATION  # reading the letter sent nothing

    page.get_by_role("button", name=wording.send_button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(wording.thanks_heading)
    assert_accessible(page, "thank-you")

    letter = wait_until(lambda: sink.messages[1:], what="the letter")[0]
    assert letter["To"] == "privacy-requests@clearview.ai"
    # Reply-To: the supporter first, then the request's own reply address (its From).
    assert letter["Cc"] == letter["Reply-To"].addresses[0].addr_spec == "jeanne.tremblay@example.org"
    assert letter["Reply-To"].addresses[1].addr_spec == letter["From"].addresses[0].addr_spec
    assert letter["From"].addresses[0].display_name == "Jeanne Tremblay via Takeback"
    assert letter.get_content().splitlines() == request.letter_body.splitlines()

    wait_until(lambda: DataRequest.objects.get().status == Status.SENT, what="the request to be marked sent")
    page.get_by_role("link", name=wording.follow_link).click()
    expect(page.locator("#request-status")).to_have_text(wording.sent_status)
    expect(page.locator("html")).to_have_attribute("lang", wording.language)
    assert_accessible(page, "status")
    return DataRequest.objects.get()


def test_an_english_supporter_walks_the_journey_by_keyboard(chromium, live_server, worker, sink, campaign):
    context = chromium.new_context(locale=ENGLISH.browser_locale)
    page = context.new_page()

    request = walk_the_journey(page, live_server=live_server, sink=sink, wording=ENGLISH, by_keyboard=True)

    assert request.language == "en"
    assert request.law == "pipeda"
    assert (
        "Section 8(3) requires you to respond with due diligence and in any case within 30 days" in request.letter_body
    )
    context.close()


def test_a_french_supporter_walks_the_journey_in_french(
    chromium, live_server, worker, sink, campaign, french_pipeda_template
):
    # A French-speaking browser that lands on the English page switches with the button.
    context = chromium.new_context(locale=FRENCH.browser_locale)
    page = context.new_page()

    request = walk_the_journey(page, live_server=live_server, sink=sink, wording=FRENCH, by_keyboard=False)

    assert request.language == "fr"
    assert request.template == french_pipeda_template
    context.close()


def test_a_supporter_of_a_two_target_campaign_confirms_both_letters_with_one_button(
    chromium, live_server, worker, sink, campaign
):
    second = Target.objects.create(
        name="Facefinder Example Ltd", privacy_email="privacy@facefinder.example.org", postal_address="1 Example Road"
    )
    CampaignTarget.objects.create(campaign=campaign, target=second, position=1)
    context = chromium.new_context(locale=ENGLISH.browser_locale)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/c/clearview/")
    fill_the_form_with_a_mistake_then_correct_it(page, ENGLISH)
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH.check_inbox)

    confirmation = wait_until(lambda: sink.messages, what="the confirmation email")[0]
    link = re.search(rf"{re.escape(live_server.url)}/en/r/confirm/\S+/", confirmation.get_content())
    page.goto(link.group(0))
    expect(page.locator(".letter")).to_have_count(2)
    expect(page.get_by_role("heading", name=f"To {second.name}")).to_be_visible()
    assert_accessible(page, "confirmation of two letters")
    page.get_by_role("button", name="Send these letters in my name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH.thanks_heading)

    letters = wait_until(lambda: len(sink.letters()) == 2 and sink.letters(), what="two letters")
    assert {letter["To"] for letter in letters} == {campaign.ordered_targets()[0].privacy_email, second.privacy_email}
    wait_until(
        lambda: set(DataRequest.objects.values_list("status", flat=True)) == {Status.SENT},
        what="both requests to be marked sent",
    )
    page.get_by_role("link", name=ENGLISH.follow_link).click()
    expect(page.locator("#request-status")).to_have_text(ENGLISH.sent_status)
    expect(page.locator("#request-status-2")).to_have_text(ENGLISH.sent_status)
    assert_accessible(page, "status of two letters")
    assert len(sink.messages) == 3  # one confirmation, two letters
    context.close()


PHONE_WIDTHS = (320, 360, 390)


def assert_no_sideways_scroll(page: Page, what: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
        .slice(0, 5).map((element) => element.tagName + '.' + element.className + '#' + element.id)"""
    )
    assert widths[0] <= widths[1], f"the {what} page scrolls sideways: {widths[0]} px wide in {widths[1]} px: {wide}"


def test_on_a_phone_no_page_scrolls_sideways_and_every_state_passes_axe(chromium, live_server, campaign):
    pages = supporter_pages(campaign)
    for width in PHONE_WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 800}, locale="en-CA")
        page = context.new_page()
        for what, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            assert_no_sideways_scroll(page, f"{what} ({width} px)")
            if width == PHONE_WIDTHS[-1]:
                assert_accessible(page, what)

        # A form the server refused: no sideways scroll either, and the errors are where the page starts.
        page.goto(f"{live_server.url}/en/c/clearview/")
        page.locator("#id_first_name").fill("Jeanne")
        # Past the browser's own checks, as an older browser would be: the server answers.
        page.evaluate("document.getElementById('request-form').noValidate = true")
        page.locator("#submit-id-submit").click()
        expect(page.locator("#form-errors")).to_be_focused()
        expect(page.locator("#form-errors")).to_contain_text("Your permission to send the letter")
        assert_no_sideways_scroll(page, f"campaign with errors ({width} px)")
        context.close()

    expect_states = {
        "failed": "We could not send your letter",
        "set aside for review": "set aside for a person to check",
        "bounced": "Your letter did not arrive",
        "queued": "Your letter is in the queue",
    }
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    for state, sentence in expect_states.items():
        page.goto(f"{live_server.url}{pages[f'status ({state})']}")
        expect(page.locator("#next-step")).to_contain_text(sentence)
    # An erased request's status link ends with the data: it opens the page that says so.
    page.goto(f"{live_server.url}{pages['status (erased)']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This request is no longer here")
    expect(page.locator("main")).to_contain_text("we erased our copy of your data")
    page.goto(f"{live_server.url}{pages['status (failed)']}")
    page.get_by_role("button", name="Try sending it again").click()
    expect(page.locator("#next-step")).to_contain_text("Your letter is in the queue")
    page.goto(f"{live_server.url}{pages['French withdrawn request']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette demande n’est plus ici")
    context.close()


def test_a_campaign_link_with_a_source_counts_the_supporter_under_it(chromium, live_server, campaign):
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()

    page.goto(f"{live_server.url}/en/c/clearview/?source=newsletter-dec")
    fill_the_form_with_a_mistake_then_correct_it(page, ENGLISH)

    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH.check_inbox)
    assert DataRequest.objects.get().source == "newsletter-dec"
    context.close()


def test_a_uk_supporter_records_their_s164a_complaint_on_a_phone(chromium, live_server, sent_letter):
    """The complaint page's "The day you sent it" form, by a supporter on a phone, in English and
    French: a refused date is explained beside the field, a good one dates the ICO's step."""
    request = sent_letter(jurisdiction="GB", sent_at=days_ago(70))
    schedule_follow_ups()
    mark_overdue_requests()
    token = tokens.make_token(request, purpose=tokens.STATUS)
    context = chromium.new_context(viewport={"width": PHONE_WIDTHS[0], "height": 800})
    page = context.new_page()

    page.goto(f"{live_server.url}/en/r/complaint/{token}/")
    assert_accessible(page, "complaint")
    expect(page.locator("#complaint-uk_gdpr-counted-from")).to_contain_text(
        "These dates assume you send the step above"
    )
    page.locator("#company-step-taken-on").fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record the day I sent it").click()
    expect(page.locator("#company-step-error")).to_contain_text("Nothing was changed.")
    assert_no_sideways_scroll(page, "complaint with a refused date")
    assert_accessible(page, "complaint with a refused date")
    page.locator("#company-step-taken-on").fill((timezone.localdate() - datetime.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Record the day I sent it").click()

    expect(page.locator("#company-step-recorded")).to_contain_text("You told us you sent it on")
    expect(page.locator("#complaint-uk_gdpr-counted-from")).to_contain_text("These dates are counted from")
    page.goto(f"{live_server.url}/fr/r/complaint/{token}/")
    expect(page.locator("#company-step-recorded")).to_contain_text("Vous nous avez indiqué l’avoir envoyée le")
    assert_no_sideways_scroll(page, "French complaint")
    assert_accessible(page, "French complaint")
    context.close()
