"""The brokers' transports: kombu's Redis transport with one client per channel, and the embedded
broker of `make run` / `make classroom`, kombu's filesystem transport made safe for several processes
at once.

kombu's Redis channel builds a new ``redis.Redis`` for every command it sends outside the worker's
event loop (``conn_or_acquire``), a publish included: each one fills a table of some 165 response
callbacks before it sends one LPUSH over the pool's connection. Of the 14.9 million instructions of
``make bench``'s POST adding a role, the publish took 3.2 million, and that client 0.8 of them.
``RedisChannel`` builds the client once per channel (again when kombu replaces the channel's pool);
it holds no connection of its own (each command takes one from the channel's pool, as before), so it
is as safe to share between commands as the pool is.

kombu's own filesystem channel creates a message file under its final name and then writes into
it, so a worker polling the folder can take a file before its content is there; the JSON decoder
then fails and the worker exits (seen with 40 trainees at once). Here a message is written to a
hidden temporary file in the same folder and renamed into place, which is atomic on one file
system: a reader sees a whole message or none. A message that still cannot be read is set aside in
``damaged/`` and logged instead of stopping the worker; whatever it carried (a mail, a
propagation) stays in the outbox, which the periodic sweep delivers (accessportal.outbox).
"""

import logging
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.transport import redis as kombu_redis
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)


class RedisChannel(kombu_redis.Channel):
    _client = _client_pool = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        yield client or self._commands_client()

    def _commands_client(self):
        """The channel's client over its current pool (kombu replaces the pool after a lost
        connection: a new client follows it)."""
        pool = self.pool
        if self._client_pool is not pool:
            self._client, self._client_pool = self._create_client(), pool
        return self._client


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        folder = Path(self.data_folder_out)
        temporary = folder / f".{name}.tmp"  # never matches "<queue>.msg", so no reader takes it
        try:
            # No fsync: a message lost to a power cut is in the outbox still, and the sweep sends it.
            temporary.write_bytes(str_to_bytes(dumps(payload)))
            os.replace(temporary, folder / name)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add a message to {folder}") from error

    def _get(self, queue):
        while True:
            payload, path = self._take(queue)
            try:
                return loads(bytes_to_str(payload))
            except ValueError:  # not JSON, or not UTF-8
                damaged = Path(self.data_folder_in).parent / "damaged"
                damaged.mkdir(parents=True, exist_ok=True)
                (damaged / path.name).write_bytes(payload)
                logger.error("Set aside an unreadable broker message %s in %s", path.name, damaged)

    def _take(self, queue) -> tuple[bytes, Path]:
        """Move the oldest message of ``queue`` out of the folder (another worker may take it
        first: then the next one) and return its content."""
        wanted = f"{queue}.msg"
        folder = Path(self.data_folder_in)
        for name in sorted(os.listdir(folder)):
            if name.partition(".")[2] != wanted:
                continue
            target = Path(self.processed_folder if self.store_processed else self._scratch()) / name
            try:
                shutil.move(folder / name, target)
            except OSError:
                continue
            try:
                payload = target.read_bytes()
            except OSError as error:
                raise ChannelError(f"Cannot read {target}") from error
            if not self.store_processed:
                target.unlink(missing_ok=True)
            return payload, target
        raise Empty()

    def _scratch(self) -> str:
        scratch = Path(self.data_folder_in).parent / "taken"
        scratch.mkdir(parents=True, exist_ok=True)
        return str(scratch)


class Transport(filesystem.Transport):
    Channel = Channel
