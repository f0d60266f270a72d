"""The Content-Security-Policy and the server snippets that send it as HTTP headers.

One policy, two deliveries:

* :data:`META_POLICY` — every page's ``<meta http-equiv="Content-Security-Policy">``
  (``base.html``, ``neutral.html``; a global of every theme template).  It works
  wherever the site is opened, also from a USB stick (``file://``).  A ``<meta>``
  policy cannot carry ``frame-ancestors``; and since some browsers do not count
  ``file:`` pages as ``'self'``, it also allows ``file:`` — which no page served over
  http(s) can load anyway, so it opens nothing to another host.
* :data:`HEADER_POLICY` — the same policy as an HTTP header, plus
  ``frame-ancestors 'none'`` (no other site may frame the press), in the files
  :func:`server_files` writes into the output: ``_headers`` (Netlify, Cloudflare
  Pages and hosts with the same format), ``.htaccess`` (Apache) and
  ``server/nginx.conf`` (an ``include`` snippet for nginx).  With ``ONION_ADDRESS``
  set, Apache and nginx also send ``Onion-Location`` for the same path (``_headers``
  cannot name the request path, so there the per-page ``<meta>`` does it).

Everything comes from the site itself: scripts, styles, fonts, images, the search
form.  No inline script or style, no other host, no plugins, no ``<base>``.
"""

from __future__ import annotations

SELF = "'self'"
DIRECTIVES = (
    ("default-src", "'none'"),
    ("script-src", SELF),
    ("style-src", SELF),
    ("font-src", SELF),
    ("img-src", SELF),
    ("media-src", SELF),
    ("connect-src", SELF),
    ("manifest-src", SELF),
    ("form-action", SELF),
    ("base-uri", "'none'"),
)
HEADER_ONLY = (("frame-ancestors", "'none'"),)


def _policy(directives, extra: str = "") -> str:
    return "; ".join(f"{name} {value}{extra if value == SELF else ''}" for name, value in directives)


META_POLICY = _policy(DIRECTIVES, " file:")
HEADER_POLICY = _policy(DIRECTIVES + HEADER_ONLY)
OTHER_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


def _all_headers() -> list[tuple[str, str]]:
    return [("Content-Security-Policy", HEADER_POLICY), *OTHER_HEADERS]


def netlify_headers() -> str:
    lines = [
        "# Written by the build (press_core/headers.py): security headers for Netlify, Cloudflare Pages",
        "# and hosts that read the same _headers format.  docs/SAFETY.md explains each.",
        "/*",
    ]
    lines += [f"  {name}: {value}" for name, value in _all_headers()]
    return "\n".join(lines) + "\n"


def apache_htaccess(onion: str = "") -> str:
    lines = [
        "# Written by the build (press_core/headers.py): security headers for Apache (mod_headers).",
        "<IfModule mod_headers.c>",
    ]
    lines += [f'  Header always set {name} "{value}"' for name, value in _all_headers()]
    if onion:
        lines.append(f'  Header always set Onion-Location "{onion.rstrip("/")}%{{REQUEST_URI}}e"')
    lines.append("</IfModule>")
    return "\n".join(lines) + "\n"


def nginx_snippet(onion: str = "") -> str:
    lines = [
        "# Written by the build (press_core/headers.py): `include` it in the site's server { } block.",
        "# nginx sends add_header only when a location has none of its own: include it there too.",
    ]
    lines += [f'add_header {name} "{value}" always;' for name, value in _all_headers()]
    if onion:
        lines.append(f'add_header Onion-Location "{onion.rstrip("/")}$request_uri" always;')
    lines += [
        "# Send the .gz the build wrote beside each file instead of compressing on every request.",
        "gzip_static on;",
        "# With the ngx_brotli module loaded, the .br files too: uncomment the next line.",
        "# brotli_static on;",
    ]
    return "\n".join(lines) + "\n"


def server_files(onion: str = "") -> dict[str, str]:
    """Output-relative path → text of every server snippet."""
    return {
        "_headers": netlify_headers(),
        ".htaccess": apache_htaccess(onion),
        "server/nginx.conf": nginx_snippet(onion),
    }
