"""The form and the counter for partners' sites to show in an iframe.

The rest of the site refuses to be framed (X-Frame-Options DENY, frame-ancestors 'none'); these
views lift both for the origins the campaign's admin listed, and only for themselves.

Inside a cross-site iframe, browsers withhold or refuse cookies, so Django's cookie-based CSRF
check would reject every embedded submission: the embedded form, like the campaign page's, is
protected by where the POST comes from instead (config/crosssite.py).
"""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from campaign.content_cache import campaign_or_404
from campaign.models import Campaign
from campaign.stats import STATS_CACHE_SECONDS, cached_public_counts
from campaign.views import PERSONAL_POST_FIELDS, availability_of, submit_form
from config.crosssite import posted_from_this_site
from config.ratelimits import limit_per_client, limit_per_email
from requests_app import tokens
from requests_app.campaign_setup import Availability
from requests_app.forms import DataRequestForm
from requests_app.views import request_from_token


@sensitive_post_parameters(*PERSONAL_POST_FIELDS)
@limit_per_client(group="takeback.request-form")
@limit_per_email
@csrf_exempt  # protected by posted_from_this_site instead: see config/crosssite.py
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def embed_form(request, slug):
    campaign = campaign_or_404(slug)
    query = _activate_requested_language(request)
    availability = availability_of(campaign)
    form = DataRequestForm(
        request.POST or None, campaign=campaign, action=reverse("embed_form", kwargs={"slug": slug}) + query
    )
    # The form stays in the frame although links open a new tab.
    form.helper.attrs = {"target": "_self"}
    if request.method == "POST":
        if not posted_from_this_site(request):
            return _frameable(HttpResponseForbidden(_("This form only accepts submissions from itself.")), campaign)
        if availability == Availability.OPEN and form.is_valid():
            result = submit_form(campaign=campaign, form=form)
            if result is not None and result.created and not campaign.requires_confirmation:
                token = tokens.make_token(result.request, purpose=tokens.STATUS)
                return redirect(reverse("embed_thanks", kwargs={"slug": slug, "token": token}) + query)
            return redirect(reverse("embed_check_inbox", kwargs={"slug": slug}) + query)
    response = render(
        request,
        "embed/form.html",
        {"campaign": campaign, "form": form, "availability": availability},
        status=400 if form.is_bound else 200,
    )
    return _frameable(response, campaign)


@xframe_options_exempt
@require_GET
def embed_counter(request, slug):
    campaign = campaign_or_404(slug)
    _activate_requested_language(request)
    response = render(request, "embed/counter.html", {"campaign": campaign, "counts": cached_public_counts(campaign)})
    # The same for every visitor: a partner's CDN or proxy may keep it as long as our own copy lasts.
    patch_cache_control(response, public=True, max_age=STATS_CACHE_SECONDS, s_maxage=STATS_CACHE_SECONDS)
    return _frameable(response, campaign)


@xframe_options_exempt
@require_GET
def embed_check_inbox(request, slug):
    campaign = campaign_or_404(slug)
    _activate_requested_language(request)
    return _frameable(render(request, "embed/check_inbox.html", {"campaign": campaign}), campaign)


@never_cache  # a signed link's page: Cache-Control private, no-store
@xframe_options_exempt
@require_GET
def embed_thanks(request, slug, token):
    campaign = campaign_or_404(slug)
    _activate_requested_language(request)
    # Only the campaign's own requests: another campaign's status token opens nothing here.
    if request_from_token(token, purpose=tokens.STATUS).campaign_id != campaign.pk:
        raise Http404("This link is not valid.")
    response = render(request, "embed/thanks.html", {"campaign": campaign, "status_token": token})
    return _frameable(response, campaign)


def _activate_requested_language(request) -> str:
    """A partner's French page asks for the French embed with ?lang=fr, whatever the visitor's
    browser prefers. Returns the query string that keeps the choice on the next page."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        return ""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return "?" + urlencode({"lang": language})


def _frameable(response, campaign: Campaign):
    # The site-wide policy says frame-ancestors 'none'; this response lists the campaign's partners.
    return csp_replace({"frame-ancestors": campaign.frame_ancestors()})(lambda: response)()
