"""gunicorn's access and error logs, masked like every other log (config/logfilters.py).

The access log line holds the request line and the Referer, so the path of any page opened by a
signed link (confirm, status, delete, answer, unsubscribe, thanks) would otherwise be written out
with its token. gunicorn.conf.py names this class.
"""

from gunicorn.glogging import Logger

from config.logfilters import mask_handlers_of


class MaskedLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        mask_handlers_of(self.error_log)
        mask_handlers_of(self.access_log)
