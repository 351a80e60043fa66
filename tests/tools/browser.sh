#!/usr/bin/env bash
# browser.sh: the site as a reader sees it. Opens every page of build/site
# in Debian's headless Chromium (driven by playwright-core from npm, pinned
# in tests/browser/package-lock.json; no browser is ever downloaded) and
# fails on console errors, failed requests, broken links or anchors, a
# search for "Waker" without chapter 07, a dark toggle that changes nothing,
# or code wider than its column at 1280 px; the Chinese edition
# (build/site/zh_CN) the same, plus its language switch (the same page, both
# ways), <html lang> and two Chinese searches. Screenshots: build/browser/.
# Needs a rendered site (make docs); test.sh runs it after the site step.
set -euo pipefail
tests/tools/deps.sh chromium nodejs fonts-noto-cjk
# Debian's nodejs needs the npm package; NodeSource's nodejs brings npm itself
# (and conflicts with Debian's npm).
command -v npm >/dev/null || tests/tools/deps.sh npm
if [[ ! -f build/site/index.html ]]; then
    echo "No rendered site: run make docs first." >&2
    exit 2
fi
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
    echo "== npm ci (playwright-core, the driver only)"
    (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
rm -rf build/browser
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node tests/browser/check.mjs build/site build/browser
