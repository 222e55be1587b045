"""A narrow work-around for celery 5.7.0 with kombu 5.7.0's Redis transport (the newest releases).

A worker that holds an unacknowledged job (acks_late) when Redis goes away exited with
`Unrecoverable error: AttributeError("'NoneType' object has no attribute 'hostname'")`.
Celery 5.7.0's Consumer.on_connection_error_after_connected() first calls connection.collect(), then
connection.close() (the close is new in 5.7, celery PR #10242). collect() tries to close the default
channel, but the Redis channel's close fails at its first step (reading the dead socket) before the
channel is marked closed; collect() swallows that, drops the transport (transport.client = None) and
the connection, yet keeps `_default_channel`. close() then closes that channel a second time, its
unacked-message restore builds a new connection pool from transport.client, which is now None, and
the AttributeError is not one of the connection errors that ignore_errors() tolerates.

After collect() the channel belongs to a transport that no longer exists: forget it, as collect()
already forgets the connection. The unacknowledged job stays in Redis's unacked set and is
redelivered after the visibility timeout, as for any worker that loses its broker (the tasks check
the request's state first, so a letter already sent is not sent again).
Proof: tests/requests_app/test_delivery_faults.py (Redis stops while a worker is sending).
Remove this when a kombu release clears _default_channel in Connection.collect().
"""

from kombu import Connection

_original_collect = Connection.collect


def _collect_and_forget_the_channel(self, socket_timeout=None):
    try:
        return _original_collect(self, socket_timeout)
    finally:
        self._default_channel = None


if not getattr(Connection.collect, "takeback_fix", False):
    _collect_and_forget_the_channel.takeback_fix = True
    Connection.collect = _collect_and_forget_the_channel
