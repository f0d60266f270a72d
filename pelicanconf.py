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

# Feeds (press_feeds; Atom and RSS 2.0 per language, section, category, tag and author).
# Feeds (and sitemap.xml, robots.txt: press_sitemap) need absolute addresses: they use SITEURL,
# or FEED_SITEURL while SITEURL is empty (this local build; publishconf.py sets SITEURL).
FEED_SITEURL = "http://localhost:8000"
# Feed and entry ids are tag: URIs (RFC 4151) built from this authority and the content key, so
# readers keep them when the site moves to another domain or subpath.  A domain the party held and
# a year it did; never change it once feeds are public.
FEED_ID_AUTHORITY = "press.example.org,2025"
FEED_LIMIT = 20  # entries per feed, newest first

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "press_content",
    "press_provenance",
    "press_pages",
    "press_status",
    "press_feeds",
    "press_search",
    "press_render",
    "press_sitemap",
]

# The press plugins read and render everything; Pelican's own readers, listings and feeds stay off.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = ["media"]
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
