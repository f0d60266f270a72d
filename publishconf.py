"""Settings for publishing: pelicanconf.py plus the public address.

Links inside pages stay relative, so the same output works under any subpath,
on a mirror, an onion service or a USB stick; SITEURL is used only where an
absolute address is required (the 404 pages, which are served at any depth).
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("PRESS_SITEURL", "https://press.example.org")
