"""Real-browser tests (Playwright + Debian chromium): see conftest.py and support.py."""
