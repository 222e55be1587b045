"""The site's own settings, plus the bare baseline views and rate limiting off.

The load generator posts thousands of forms a second from one address; django-ratelimit would
rightly stop it, and the benchmark is about the work of a submission, not the limiter's refusals.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
RATELIMIT_ENABLE = False
