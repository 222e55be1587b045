"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives and can be told to refuse."""

import asyncio
import email
import email.policy
import threading

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        # The client's (address, port) for each accepted message: one per TCP connection.
        self.peers: list[tuple[str, int]] = []
        self.scripted_replies: list[str] = []
        self.attempts = 0
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.attempts += 1
            if self.scripted_replies:
                return self.scripted_replies.pop(0)
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.peers.append(session.peer)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, *, port: int):
        self.port = port
        self.handler = _Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def restart(self):
        """Stop and start again on the same port, hanging up on every connected client."""
        self.controller.stop()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def reset(self):
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.envelopes.clear()
            self.handler.peers.clear()
            self.handler.scripted_replies.clear()
            self.handler.attempts = 0
            self.handler.delay = 0.0

    def slow_down(self, seconds: float):
        """Take this long to accept each message, like a busy mail server."""
        self.handler.delay = seconds

    def reply_next_with(self, *replies: str):
        """The next DATA commands get these replies (e.g. "451 4.3.0 Try later") instead of 250."""
        with self.handler.lock:
            self.handler.scripted_replies.extend(replies)

    @property
    def messages(self) -> list:
        with self.handler.lock:
            return list(self.handler.messages)

    def letters(self) -> list:
        """Messages to anyone but a supporter: the letters, not the confirmation emails."""
        return [message for message in self.messages if "Cc" in message]

    @property
    def connections_used(self) -> int:
        """How many TCP connections the accepted messages came over."""
        with self.handler.lock:
            return len(set(self.handler.peers))

    @property
    def attempts(self) -> int:
        return self.handler.attempts
