"""`process_setup`: standard output and error that nobody reads any more, or whose encoding
lacks a character, do not end a run of `plan-routes`."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from planner.process_setup import tolerant_stream
from tests.conftest import ROOT, SCENARIOS

PLAN_ROUTES = Path(sys.executable).with_name("plan-routes")


def test_lines_nobody_reads_any_more_are_dropped():
    read, write = os.pipe()
    os.close(read)  # `plan-routes ... 2>&1 | head -1` once head has its line
    with open(write, "w", encoding="utf-8") as stream:
        tolerant = tolerant_stream(stream, stream)
        for _ in range(3):  # was BrokenPipeError at the first: the search ended, nothing written
            print("     3.5s/10s  terhitung 3.938", file=tolerant, flush=True)
        assert os.path.samestat(os.fstat(write), os.stat(os.devnull))


def test_a_character_the_encoding_lacks_is_written_as_a_question_mark(tmp_path):
    with open(tmp_path / "out.txt", "w", encoding="latin-1") as stream:
        tolerant = tolerant_stream(stream, stream)
        print("Désa  87,3 % → 95,1 %", file=tolerant, flush=True)  # was UnicodeEncodeError
    assert (tmp_path / "out.txt").read_bytes() == "Désa  87,3 % ? 95,1 %\n".encode("latin-1")


def test_a_file_names_bytes_that_are_not_utf8_are_written_as_they_were(tmp_path):
    name = os.fsdecode(b"/data/d\xe9sa")  # a folder made in another code page
    with open(tmp_path / "out.txt", "w", encoding="utf-8") as stream:
        tolerant = tolerant_stream(stream, stream)
        print(f"{name}/: 48 kunjungan → ditulis", file=tolerant, flush=True)
    assert (tmp_path / "out.txt").read_bytes() == \
        b"/data/d\xe9sa/: 48 kunjungan \xe2\x86\x92 ditulis\n"


def test_a_stream_put_in_place_of_the_standard_one_is_left_alone():
    captured = io.StringIO()  # a test's CliRunner, a notebook
    assert tolerant_stream(captured, sys.__stdout__) is captured
    assert tolerant_stream(None, sys.__stdout__) is None  # started with `>&-`


def test_plan_routes_whose_reader_went_away_ends_as_usual():
    run = subprocess.Popen([str(PLAN_ROUTES), str(SCENARIOS / "oki-2017.yaml"), "--check"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    run.stdout.close()
    stderr = run.stderr.read().decode()
    # was exit 1, "internal error: BrokenPipeError: [Errno 32] Broken pipe"
    assert (run.wait(timeout=60), stderr) == (0, "")
