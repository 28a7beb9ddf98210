"""`messages/kirim-whatsapp.html`: every village's message on one page, with a button
that opens WhatsApp on it, addressed to the village head, ready to send.

The office sends a hundred messages on a Monday; copying each out of a text file is slow on a
phone. This page holds them all, kecamatan by kecamatan (the messages of `messages`, in the
same order), each with a `https://wa.me/<number>?text=...` link where the scenario gives the
village head's `head_phone`, and the text to copy where it does not. The page itself needs no
internet (inline CSS, no scripts); the links do, when tapped. Always Bahasa Indonesia.
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
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; border-bottom: 1px solid #777; }
section { border: 1px solid #999; border-radius: 0.4em; padding: 0.5em 0.7em; margin: 0.7em 0; }
h3 { font-size: 1em; margin: 0.2em 0; }
a.send { display: inline-block; background: #1f7a3f; color: #fff; padding: 0.5em 0.9em;
         border-radius: 0.4em; text-decoration: none; font-weight: bold; margin: 0.3em 0; }
.none { color: #8a4b00; }
pre { white-space: pre-wrap; font-family: inherit; background: #f4f4f4; padding: 0.5em;
      margin: 0.3em 0; }
"""

HOW = "Tekan tombolnya: WhatsApp terbuka dengan pesan siap dikirim ke kepala desa."
NO_NUMBERS = ("Belum ada nomor kepala desa di skenario: dengan kolom <code>head_phone</code> di "
              "tabel desa, setiap pesan mendapat tombol yang membuka WhatsApp. Sementara itu, "
              "salin pesannya.")


def page(plan: Plan, said: dict[str, list[tuple[str, str]]]) -> str:
    """The page for the messages `said` by kecamatan (in the order of its pages)."""
    e = html.escape
    parts = []
    for district, blocks in said.items():
        parts.append(f"<h2>Kecamatan {e(district or '-')}</h2>")
        for vid, message in blocks:
            phone = plan.scenario.village(vid).head_phone
            if phone:
                link = (f"https://wa.me/{messages.whatsapp_number(phone)}?text="
                        f"{quote(message, safe='')}")
                action = f'<a class="send" href="{e(link)}">Kirim ke WhatsApp {e(phone)}</a>'
            else:
                action = ('<p class="none">Nomor kepala desa belum ada di skenario (kolom '
                          "<code>head_phone</code>): salin pesan di bawah.</p>")
            parts.append(f'<section data-village-id="{e(vid)}"><h3>'
                         f"{e(messages.heading(plan, vid))}</h3>{action}"
                         f"<details{'' if phone else ' open'}><summary>Pesan</summary>"
                         f"<pre>{e(message)}</pre></details>"
                         "</section>")
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
