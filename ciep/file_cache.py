"""The cache of a portal on one machine without Redis: files in a folder, shared by every process.

Django's file cache is shared between the workers of one machine (the page versions and the
login rate limits must be), but three of its habits do not suit the portal:

- ``add`` and ``incr`` read and then write, so two workers counting at once lose a count (booth
  views, page versions, rate limits). Here both hold an exclusive lock on a file of the folder
  (``flock``, which also orders the threads of one process) for their read and write.
- ``incr`` writes the value back with the default expiry, so a version kept "for ever" expired
  after five minutes. Here it keeps the expiry the key had.
- Every write lists the whole folder to decide whether to cull it, which with thousands of
  pages costs more than drawing a page. Here each process looks once every ``CULL_CHECK_EVERY``
  writes; the folder may then hold that many files per process over ``MAX_ENTRIES``.
"""

import fcntl
import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager, suppress

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.move import file_move_safe

CULL_CHECK_EVERY = 100


class PortalFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0

    @contextmanager
    def _locked(self):
        self._createdir()
        with open(os.path.join(self._dir, "counters.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def _read(self, fname):
        """The expiry and value in ``fname``, or ``None`` when it is missing or expired."""
        try:
            with open(fname, "rb") as f:
                expiry = pickle.load(f)
                if expiry is not None and expiry < time.time():
                    return None
                return expiry, pickle.loads(zlib.decompress(f.read()))
        except FileNotFoundError:
            return None

    def _write(self, fname, expiry, value):
        self._createdir()
        fd, tmp = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            file_move_safe(tmp, fname, allow_overwrite=True)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(tmp)
            raise

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._locked():
            found = self._read(fname)
            if found is None:
                raise ValueError(f"Key '{key}' not found.")
            expiry, value = found
            value += delta
            self._write(fname, expiry, value)
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    def _cull(self):
        self._writes += 1
        if self._writes % CULL_CHECK_EVERY == 1:
            super()._cull()
