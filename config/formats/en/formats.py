# One date format per language on every page and in every email: "29 November 2026", as the
# complaints print their dates (Django's English default would be "Nov. 29, 2026").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
