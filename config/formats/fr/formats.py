# « 29 novembre 2026 », as everywhere else in French.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
