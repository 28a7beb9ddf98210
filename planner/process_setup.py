"""How a run of `plan-routes` meets the process around it: SIGTERM (`interrupts`), and a
standard output or error that nobody reads any more, or that cannot show every character.

A plan is the files it writes; the lines on the terminal only report it. So a reader that
goes away (`plan-routes ... | head -1`, a pager or log viewer closed, a pipe into a process
that ended) must not end the run: Python's default raises BrokenPipeError at whichever
progress line comes next, which stopped the search with nothing written, or turned a written
plan into "internal error", exit 1. From the first write that finds its pipe closed, that
stream's lines are dropped and the run goes on to its usual end and exit status. And a stream
whose encoding lacks a character the lines use (`→` in the coverage table, an `é` in a path on
a Latin-1 terminal, output redirected to a file on Windows in its code page) shows `?` for it
instead of ending the run with a UnicodeEncodeError after the plan was written.
"""
from __future__ import annotations

import codecs
import io
import os
import sys

from .interrupts import stop_on_sigterm


def set_up_process(sigterm_message: str) -> None:
    """SIGTERM stops the run with `sigterm_message` (`interrupts.stop_on_sigterm`); the
    process's own standard output and error become `tolerant_stream`s."""
    stop_on_sigterm(sigterm_message)
    sys.stdout = tolerant_stream(sys.stdout, sys.__stdout__)
    sys.stderr = tolerant_stream(sys.stderr, sys.__stderr__)


def shown_as_can_be(exc: UnicodeError):
    """Encoding error handler of the tolerant streams: bytes of a file name that are not
    UTF-8 (which Python keeps as lone surrogates) are written as they were, as `ls` shows
    them; a character the stream's encoding lacks is written as `?`."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    part = exc.object[exc.start:exc.end]
    if all("\udc80" <= c <= "\udcff" for c in part):
        return bytes(ord(c) - 0xDC00 for c in part), exc.end
    return "?" * len(part), exc.end


SHOWN_AS_CAN_BE = "jemput.shown_as_can_be"
codecs.register_error(SHOWN_AS_CAN_BE, shown_as_can_be)


class DroppedWhenUnread(io.RawIOBase):
    """Bytes written to a file descriptor, until the reader at the other end of its pipe has
    gone; from then on they are dropped."""

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:
        try:
            return os.write(self._fd, data)
        except BrokenPipeError:
            # the descriptor now leads nowhere: later writes, a forked helper's too, succeed
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._fd)
            os.close(null)
            return len(data)


def tolerant_stream(stream, original):
    """`stream` itself, unless it is the process's own standard stream `original` on a file
    descriptor: then a text stream on that descriptor, in its encoding and buffering, that
    drops its lines once nobody reads them and writes `?` for a character the encoding lacks
    (`shown_as_can_be`).
    A stream put in its place (a test's CliRunner, a notebook) is left alone."""
    if stream is None or stream is not original:
        return stream
    try:
        fd = stream.fileno()
        stream.flush()
    except (OSError, ValueError, AttributeError):  # no descriptor, or already closed
        return stream
    return io.TextIOWrapper(io.BufferedWriter(DroppedWhenUnread(fd)), encoding=stream.encoding,
                            errors=SHOWN_AS_CAN_BE, line_buffering=stream.line_buffering,
                            write_through=stream.write_through)
