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

# Deployment anywhere (see README, "Verifying a mirror"); examples:
# REPOSITORY_URL = "https://git.example.org/party/press"
# MIRRORS = [
#     {"url": "https://mirror.example.net/press/", "label": "mirror.example.net"},
#     {
#         "url": "https://ipfs.example.com/ipns/press.example.org/",
#         "label": {"ar": "نسخة IPFS", "ckb": "کۆپیی IPFS", "en": "IPFS copy"},
#     },
# ]
# ONION_ADDRESS = "http://pressxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"
