"""Texts the demo workspace shares with the tests, kept once as files (the seed's email guide)."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent

# The seed's example must-consult playbook as a file ("Playbook Structure"), verbatim: YAML front
# matter, a blank line, the markdown guide. The demo's email-drafting-guide is made from it.
EMAIL_GUIDE_FILE = (_HERE / "email-drafting-guide.md").read_text(encoding="utf-8")
