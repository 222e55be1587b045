"""The local mail backend: each outgoing message becomes one .eml file under EMAIL_FILE_PATH."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class OneFilePerMessageBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            final_path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            # Write then rename, so a reader polling the folder never sees half a message.
            partial_path = final_path.with_suffix(".part")
            partial_path.write_bytes(message.message().as_bytes(linesep="\n"))
            partial_path.rename(final_path)
        return len(email_messages)
