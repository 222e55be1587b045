"""Headers Django does not set itself: Permissions-Policy and Cross-Origin-Resource-Policy.

The site uses no camera, microphone, location or payment API, so every page says so and no script
that found its way in could ask for them. Its responses are for its own pages, except what partners
load from elsewhere on purpose: the embeds and the stats API.
"""

from django.conf import settings

SHARED_WITH_OTHER_SITES = ("/api/", "/embed/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        shared = request.path.startswith(SHARED_WITH_OTHER_SITES)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if shared else "same-origin")
        return response
