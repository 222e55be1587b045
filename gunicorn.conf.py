# gunicorn reads this file from the directory it starts in (the Dockerfile's CMD names it too).
# Access log on standard output, every line masked: no signed link, address or name is written.
accesslog = "-"
logger_class = "config.gunicorn_logging.MaskedLogger"
