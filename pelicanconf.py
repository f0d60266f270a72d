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

PATH = "content"
THEME = "theme"
TRANSLATIONS_PATH = str(HERE / "translations")
PAGE_SIZE = 10

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["press_content", "press_pages", "press_status", "press_render"]

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
LOAD_CONTENT_CACHE = False
