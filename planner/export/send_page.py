"""`messages/kirim-whatsapp.html`: every village's message on one page, with a button
that opens WhatsApp on it, addressed to the village head, ready to send.

The office sends a hundred messages on a Monday; copying each out of a text file is slow on a
phone. This page holds them all, kecamatan by kecamatan (the messages of `messages`, in the
same order), each with a `https://wa.me/<number>?text=...` link where the scenario gives the
village head's `head_phone`, and the text to copy where it does not. A re-plan written over an
earlier plan puts first the messages that tell a village something new (its visits moved,
cancelled or added) and folds away those that repeat the earlier notice, so the office sends
the few that matter. The page itself needs no internet (inline CSS, no scripts); the links do,
when tapped. Always Bahasa Indonesia.
"""
from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from ..plan import Plan
from . import messages

FILE = "kirim-whatsapp.html"

CSS = """
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 0; color: #000;
       background: #fff; line-height: 1.35; }
main { max-width: 40em; margin: 0 auto; padding: 0.8em; }
h1 { font-size: 1.3em; }
h2, main > h3, details > h3 { font-size: 1.1em; border-bottom: 1px solid #777; }
section { border: 1px solid #999; border-radius: 0.4em; padding: 0.5em 0.7em; margin: 0.7em 0; }
section h3, section h4 { font-size: 1em; margin: 0.2em 0; }
a.send { display: inline-block; background: #1f7a3f; color: #fff; padding: 0.5em 0.9em;
         border-radius: 0.4em; text-decoration: none; font-weight: bold; margin: 0.3em 0; }
.none { color: #8a4b00; }
h2.part { background: #eee; border: 0; padding: 0.3em 0.5em; }
details.same > summary h2 { display: inline; }
pre { white-space: pre-wrap; font-family: inherit; background: #f4f4f4; padding: 0.5em;
      margin: 0.3em 0; }
"""

HOW = "Tekan tombolnya: WhatsApp terbuka dengan pesan siap dikirim ke kepala desa."
NO_NUMBERS = ("Belum ada nomor kepala desa di skenario: dengan kolom <code>head_phone</code> di "
              "tabel desa, setiap pesan mendapat tombol yang membuka WhatsApp. Sementara itu, "
              "salin pesannya.")
NOTHING_NEW = ("Tidak ada pesan baru: setiap desa yang dikunjungi sudah menerima jadwal yang sama "
               "pada pengumuman sebelumnya.")
SAME = ("Pesan-pesan ini mengulang pengumuman sebelumnya: kirim hanya ke kepala desa yang belum "
        "menerimanya.")


def _sections(plan: Plan, said: dict[str, list[tuple[str, str]]], level: int) -> list[str]:
    """The messages `said`, under a heading of `level` per kecamatan, each in a section with
    its button (or, without a number, its text open to copy)."""
    e = html.escape
    parts = []
    for district, blocks in said.items():
        if not blocks:
            continue
        parts.append(f"<h{level}>Kecamatan {e(district or '-')}</h{level}>")
        for vid, message in blocks:
            phone = plan.scenario.village(vid).head_phone
            if phone:
                link = (f"https://wa.me/{messages.whatsapp_number(phone)}?text="
                        f"{quote(message, safe='')}")
                action = f'<a class="send" href="{e(link)}">Kirim ke WhatsApp {e(phone)}</a>'
            else:
                action = ('<p class="none">Nomor kepala desa belum ada di skenario (kolom '
                          "<code>head_phone</code>): salin pesan di bawah.</p>")
            parts.append(f'<section data-village-id="{e(vid)}"><h{level + 1}>'
                         f"{e(messages.heading(plan, vid))}</h{level + 1}>{action}"
                         f"<details{'' if phone else ' open'}><summary>Pesan</summary>"
                         f"<pre>{e(message)}</pre></details>"
                         "</section>")
    return parts


def _replan_parts(plan: Plan, said: dict[str, list[tuple[str, str]]]) -> list[str]:
    """A re-plan's page: first the messages that tell their village something new (moved,
    cancelled or new visits: `messages.news`), which the office sends; then, folded away, those
    that repeat the earlier notice, which it sends only to a village head who missed it."""
    send = {d: [b for b in blocks if messages.news(plan, b[0])] for d, blocks in said.items()}
    same = {d: [b for b in blocks if not messages.news(plan, b[0])] for d, blocks in said.items()}
    n_send, n_same = (sum(map(len, part.values())) for part in (send, same))
    parts = [f'<h2 class="part">Perlu dikirim: jadwal baru, berubah atau dibatalkan ({n_send})</h2>']
    parts += _sections(plan, send, 3) or [f"<p>{NOTHING_NEW}</p>"]
    if n_same:
        parts += ['<details class="same"><summary><h2 class="part">Sama dengan pengumuman '
                  f"sebelumnya ({n_same})</h2></summary><p>{SAME}</p>",
                  *_sections(plan, same, 3), "</details>"]
    return parts


def page(plan: Plan, said: dict[str, list[tuple[str, str]]]) -> str:
    """The page for the messages `said` by kecamatan (in the order of its pages)."""
    e = html.escape
    parts = _replan_parts(plan, said) if messages.compared(plan) else _sections(plan, said, 2)
    total = sum(len(blocks) for blocks in said.values())
    with_phone = sum(1 for blocks in said.values() for vid, _ in blocks
                     if plan.scenario.village(vid).head_phone)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kirim pengumuman ke kepala desa – {e(plan.scenario.name)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>Kirim pengumuman ke kepala desa</h1>
<p>{e(plan.scenario.name)}: {total} pesan, {with_phone} dengan nomor WhatsApp kepala desa.
{HOW if with_phone else NO_NUMBERS}</p>
{''.join(parts)}
</main>
</body>
</html>
"""


def write(plan: Plan, folder: Path, said: dict[str, list[tuple[str, str]]]) -> None:
    """The page into `folder` where any village has a message (`said`: `messages.blocks` by
    kecamatan)."""
    if any(said.values()):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / FILE).write_text(page(plan, {d: b for d, b in said.items() if b}),
                                   encoding="utf-8")
