"""Prove that `make run` works: submit the form over HTTP, confirm through the emailed link, and
find the letter in var/mail/. Exits non-zero with the reason when any step fails."""

import email
import email.policy
import re
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
MAIL = Path(sys.argv[2] if len(sys.argv) > 2 else "var/mail")
ADDRESS = f"smoke-{int(time.time())}@example.org"

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def fail(message: str) -> None:
    print(f"smoke: FAILED: {message}")
    sys.exit(1)


def get(url: str) -> str:
    with opener.open(url, timeout=10) as response:
        return response.read().decode()


def post(url: str, fields: dict, referer: str) -> str:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": referer})
    with opener.open(request, timeout=10) as response:
        return response.geturl()


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        fail("no CSRF token on the page")
    return match.group(1)


def wait_for_mail(predicate, what: str, timeout: float = 60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(MAIL.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if predicate(message):
                return message
        time.sleep(0.5)
    fail(f"no {what} in {MAIL}/ after {timeout:.0f} s")


def main() -> None:
    for _ in range(120):
        try:
            get(f"{BASE}/healthz")
            break
        except OSError:
            time.sleep(1)
    else:
        fail(f"{BASE} did not answer")

    form_url = f"{BASE}/en/c/clearview/"
    if "csrfmiddlewaretoken" in get(form_url):
        fail("the campaign page carries a per-visitor CSRF token")
    landed = post(
        form_url,
        # No CSRF token on the campaign page: it is the same for everyone (the Origin check guards it).
        {
            "first_name": "Smoke",
            "last_name": "Tester",
            "email": ADDRESS,
            "jurisdiction": "CA-ON",
            "kind": "access_and_deletion",
            "consent": "on",
        },
        referer=form_url,
    )
    if "check-your-inbox" not in landed:
        fail(f"the form did not lead to the check-your-inbox page (landed on {landed})")
    print(f"smoke: form accepted for {ADDRESS}")

    confirmation = wait_for_mail(lambda m: m["To"] == ADDRESS and "Confirm" in m["Subject"], "confirmation email")
    link = re.search(r"https?://\S+/r/confirm/\S+/", confirmation.get_content())
    if not link:
        fail("no confirmation link in the email")
    confirm_url = link.group(0)
    confirm_page = get(confirm_url)
    if "Send this letter in my name" not in confirm_page:
        fail("the confirmation page does not offer the send button")
    landed = post(confirm_url, {"csrfmiddlewaretoken": csrf_token(confirm_page)}, referer=confirm_url)
    print(f"smoke: confirmed, landed on {urllib.parse.urlparse(landed).path[:20]}...")

    letter = wait_for_mail(lambda m: ADDRESS in str(m["Cc"] or ""), "letter to Clearview")
    checks = {
        "To is Clearview's privacy address": "privacy-requests@clearview.ai" in str(letter["To"]),
        "From carries the supporter's name": "Smoke Tester via" in str(letter["From"]),
        "Reply-To is the supporter": ADDRESS in str(letter["Reply-To"]),
        "the letter cites PIPEDA": "PIPEDA" in letter.get_content(),
    }
    for what, ok in checks.items():
        print(f"smoke: {'ok' if ok else 'FAILED'}: {what}")
    if not all(checks.values()):
        fail("the letter is not addressed as it should be")
    print("smoke: make run works end to end")


if __name__ == "__main__":
    main()
