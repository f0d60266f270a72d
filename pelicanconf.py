"""Settings for building the press locally (``invoke build``); publishconf.py adds the public URL."""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SITENAME = "The Open Press"
# The press's name in each language (a new language falls back to DEFAULT_LANG's).
SITE_NAMES = {
    "ar": "المنبر المفتوح",
    "ckb": "مینبەری کراوە",
    "en": "The Open Press",
}
SITEURL = ""  # empty: every link is relative, so output/ works from any subpath or from disk
# Provenance (press_provenance): the public repository's web address, e.g.
# "https://git.example.org/party/press".  When set, every commit id on a page links to
# REPOSITORY_URL + "/commit/" + the full id, and the verify page's `git clone` uses it.
REPOSITORY_URL = ""
# Other addresses of the same site, listed in every footer: [{"url": "https://…", "label": "…"}]
# ("label" may also be a mapping of language code → text).
MIRRORS = []
# The site's onion service, e.g. "http://<56 letters>.onion": pages then carry
# <meta http-equiv="onion-location">, so Tor Browser offers it.  Empty: none.
ONION_ADDRESS = ""
# E-mail addresses the party publishes on purpose (every other address in content/ is an error):
# the blocs' public contact addresses (content/blocs/*/bloc.yml, `contact:`).
PUBLIC_EMAILS = [
    "labour-platform@press.example.org",
    "renewal@press.example.org",
    "green-left@press.example.org",
]
# After rendering (press_core.postbuild): theme assets get fingerprinted names, text files get
# .gz and .br siblings (PRECOMPRESS; brotli at BROTLI_QUALITY), and OFFLINE_COPY is the whole
# site as one zip to read from disk (linked from the verify pages; "" writes none).
PRECOMPRESS = True
BROTLI_QUALITY = 5  # 11 writes files ~17 % smaller but takes ~60x as long (README, Performance)
# Forked processes that render, compress and hash (press_core.parallel): 0 = one per core, 1 = none.
RENDER_PROCESSES = 0
OFFLINE_COPY = "open-press-offline.zip"

# The language table: code (URL prefix and content file suffix), Babel locale, native name,
# numbering system ("default" = the locale's own CLDR default, e.g. Eastern Arabic digits for ar_IQ).
# Direction (rtl/ltr) is never written here: it comes from Babel.  `invoke add-locale` appends rows.
LANGUAGES = [
    {"code": "ar", "locale": "ar_IQ", "name": "العربية", "numbering": "default"},
    {"code": "ckb", "locale": "ckb", "name": "کوردیی ناوەندی", "numbering": "default"},
    {"code": "en", "locale": "en", "name": "English", "numbering": "default"},
]
DEFAULT_LANG = "ar"  # x-default, and the fallback for names missing in a language
TIMEZONE = "Asia/Baghdad"
LOCALE = []  # Pelican would call locale.setlocale(LC_ALL, "") otherwise; Babel does every locale fact

PATH = "content"
THEME = "theme"
TRANSLATIONS_PATH = str(HERE / "translations")
PAGE_SIZE = 10
# Order of the blocs wherever they appear (press_blocs; docs/BLOCS.md): "alphabetical" (by the
# bloc's name in the reader's language, Unicode collation), "founded", "rotation" (by build date),
# or a list of bloc ids.  The official line is never placed first.
BLOC_ORDER = "alphabetical"

# Feeds (press_feeds; Atom and RSS 2.0 per language, section, category, tag and author).
# Feeds (and sitemap.xml, robots.txt: press_sitemap) need absolute addresses: they use SITEURL,
# or FEED_SITEURL while SITEURL is empty (this local build; publishconf.py sets SITEURL).
FEED_SITEURL = "http://localhost:8000"
# Feed and entry ids are tag: URIs (RFC 4151) built from this authority and the content key, so
# readers keep them when the site moves to another domain or subpath.  A domain the party held and
# a year it did; never change it once feeds are public.
FEED_ID_AUTHORITY = "press.example.org,2025"
FEED_LIMIT = 20  # entries per feed, newest first

# Reader and author safety (docs/SAFETY.md).  Images anywhere in content/ are re-encoded without
# metadata (press_images) in these widths (px; never wider than the original), as WebP + JPEG/PNG.
IMAGE_WIDTHS = [480, 960, 1600]
IMAGE_SIZES = "(min-width: 44rem) 42rem, 100vw"  # the <img sizes> hint: the text column's width
IMAGE_MAX_PIXELS = 40_000_000  # larger images are refused (decompression bombs)

# Finance (press_finance; docs/FINANCE.md).  Amounts are text, read as exact decimals.
FINANCE_CURRENCY = "IQD"  # donations, the donor threshold, party tax and the tolerance are in it
# A donor is named only when their donations in one calendar year add up to more than this;
# at or below it their donations are published as a count and a total, never by name.
FINANCE_DONOR_THRESHOLD = "2500000"
FINANCE_TAX_TOLERANCE = "1000"  # party tax: |due - rate x salary| may be at most this
FINANCE_WEALTH_CHANGE = "0.25"  # declarations: a change in net worth of this share or more is highlighted

# Congresses (press_congress; docs/CONGRESS.md): the statute's limit of consecutive terms in an
# elected body.  Each elected body's composition lists the members whose new term goes beyond it.
CONGRESS_TERM_LIMIT = 2

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "press_content",
    "press_blocs",
    "press_provenance",
    "press_pages",
    "press_status",
    "press_finance",
    "press_congress",
    "press_images",  # after every plugin whose texts may show images or link attachments
    "press_feeds",
    "press_search",
    "press_render",
    "press_sitemap",
    "press_headers",
]

# The press plugins read and render everything; Pelican's own readers, listings and feeds stay off.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []  # nothing is copied as-is: press_images strips images and copies attachments
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = PAGE_SAVE_AS = ""
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = TAGS_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
THEME_STATIC_DIR = "theme"
DELETE_OUTPUT_DIRECTORY = False  # the build writes to a fresh folder and swaps it in on success
LOAD_CONTENT_CACHE = False  # Pelican's reader cache is unused; the press caches rendered Markdown
CACHE_PATH = ".cache"  # content-addressed, so it never needs clearing (safe to delete)
