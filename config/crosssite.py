"""The public forms' protection against cross-site request forgery, without a cookie or a token.

The campaign page and the embedded form are the same for every visitor, so any shared cache may
keep them (a CDN, a proxy, the site's own page cache): they can carry no per-visitor CSRF token, and
inside a cross-site iframe browsers withhold or refuse cookies anyway (SameSite; Safari and Firefox
partition or block them). These forms are protected instead by where the POST comes from: browsers
say so in Sec-Fetch-Site and Origin, and a page on another site can forge neither.
"""

from django.http import HttpRequest


def posted_from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says this request comes from one of our own pages.

    Sec-Fetch-Site is sent by every current browser; Origin by older ones on a POST. A request with
    neither does not come from a browser, so it cannot be a forgery riding on a visitor's browser
    (the same rule as Go's net/http CrossOriginProtection).
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == f"{request.scheme}://{request.get_host()}"
    return True
