// check.mjs SITE OUT: opens every page of the built site (SITE, e.g.
// build/site) in Debian's headless Chromium, served over HTTP on 127.0.0.1
// (a free port) the way `make serve` serves it, and fails on what a reader
// would trip over:
//   - a console error, an uncaught exception, a failed request or an HTTP error;
//   - an internal link to a page that does not exist, or to an anchor that
//     the target page does not have;
//   - a search for "Waker" that does not list chapter 07;
//   - a dark/light toggle that is missing or does not change the colours, or
//     a default ("auto") theme that stays light on a dark system;
//   - a code excerpt wider than its column at 1280 px (a reader would have
//     to scroll sideways to see the end of a line);
//   - at 400 px, a page wider than the window;
//   - a chapter's strace transcript open before a click, or wider than its column;
//   - the Chinese edition (SITE/zh_CN, every page with the same checks): a
//     language switch that does not lead to the same page in the other
//     edition (both ways; once clicked from file://), a wrong <html lang>,
//     or a Chinese search (SEARCHES) that misses its chapter.
// Screenshots of every page at 1280 and 400 px (and a few in dark mode) go
// to OUT (build/browser), so that a person can look at them; each strace
// transcript, opened, has its own picture in OUT/transcripts.
//
// The browser is /usr/bin/chromium (Debian's package); nothing here
// downloads one.
import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const [site, out] = process.argv.slice(2);
if (!site || !out) {
    console.error("usage: node check.mjs SITE_DIRECTORY SCREENSHOT_DIRECTORY");
    process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(path.join(site, "index.html"))) {
    console.error(`${site}/index.html does not exist: render the site first (make docs)`);
    process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} does not exist: install Debian's chromium package (tests/tools/deps.sh chromium)`);
    process.exit(2);
}

// ---------------------------------------------------------------- the server
const TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
    ".svg": "image/svg+xml", ".png": "image/png", ".inv": "application/octet-stream",
    ".txt": "text/plain; charset=utf-8", ".woff2": "font/woff2", ".woff": "font/woff",
};
const root = path.resolve(site);
const server = http.createServer((request, response) => {
    let file = decodeURIComponent(new URL(request.url, "http://x").pathname);
    file = path.join(root, path.normalize(file));
    if (!file.startsWith(root)) { response.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (error, data) => {
        if (error) { response.writeHead(404).end("not found"); return; }
        response.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
        response.end(data);
    });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

// ----------------------------------------------------------------- the pages
function pagesUnder(directory, prefix = "") {
    const found = [];
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        if (entry.name.startsWith("_")) continue;  // _static, _sources, _images
        const relative = prefix + entry.name;
        if (entry.isDirectory()) found.push(...pagesUnder(path.join(directory, entry.name), relative + "/"));
        else if (entry.name.endsWith(".html")) found.push(relative);
    }
    return found.sort();
}
const pages = pagesUnder(root);

const problems = [];
const problem = (page, what) => problems.push(`${page}: ${what}`);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "metalio-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
    colorScheme: "light",
});
context.setDefaultTimeout(20000);

// Every page: errors, requests, links, excerpt widths; screenshots.
const anchorsOf = new Map();   // page -> Set of ids (and names)
const linksOf = new Map();     // page -> [absolute URL]
const switchOf = new Map();    // page -> where its language switch leads (absolute URL)
// The Chinese edition lives under zh_CN/; every page has its counterpart.
const ZH = "zh_CN/";
const counterpart = (page) => (page.startsWith(ZH) ? page.slice(ZH.length) : ZH + page);
const shotName = (page) => page.replace(/\//g, "_").replace(/\.html$/, "") + ".png";
for (const width of [1280, 400]) fs.mkdirSync(path.join(out, String(width)), { recursive: true });
fs.mkdirSync(path.join(out, "dark"), { recursive: true });

async function visit(page, url, width, record) {
    const tab = await context.newPage();
    await tab.setViewportSize({ width, height: 900 });
    tab.on("console", (message) => {
        if (message.type() === "error")
            problem(page, `console error at ${width} px: ${message.text()} (${message.location().url || "no URL"})`);
    });
    tab.on("pageerror", (error) => problem(page, `uncaught exception at ${width} px: ${error.message}`));
    tab.on("requestfailed", (request) =>
        problem(page, `request failed: ${request.url()} (${request.failure()?.errorText})`));
    tab.on("response", (response) => {
        if (response.status() >= 400) problem(page, `HTTP ${response.status()} for ${response.url()}`);
    });
    try {
        await tab.goto(url, { waitUntil: "load" });
        // What the kernel sees (a chapter's strace transcript) is collapsed
        // when a page opens. The checks open it (showTranscripts).
        const open = await tab.evaluate(() =>
            [...document.querySelectorAll("details.syscall-transcript")].filter((block) => block.open).length);
        if (open > 0) problem(page, `${open} strace transcript(s) open before a click: they must start collapsed`);
        await record(tab);
    } catch (error) {
        problem(page, `at ${width} px: ${error.message.split("\n")[0]}`);
    }
    await tab.close();
}

// Opens a page's strace transcripts, leaves a picture of each in
// OUT/transcripts (the full-page screenshots show them closed, as a reader
// first sees them), and returns a function that closes them again.
// Pictures cost most of a visit's time: of the Chinese pages (whose layout
// is the English one's) only the 400 px full page is kept, where Chinese
// lines wrap differently, and the dark ones; every check still runs.
const pictured = (page) => !page.startsWith(ZH);
async function showTranscripts(tab, page, label) {
    const blocks = await tab.$$("details.syscall-transcript");
    for (const [index, block] of blocks.entries()) {
        await block.evaluate((element) => { element.open = true; });
        if (pictured(page))
            await block.screenshot({ path: path.join(out, "transcripts", `${label}-${index + 1}-${shotName(page)}`) });
    }
    return () => tab.evaluate(() => {
        for (const block of document.querySelectorAll("details.syscall-transcript")) block.open = false;
    });
}

// At 400 px: nothing wider than the window; a full-page picture.
async function narrow(tab, page) {
    const closeTranscripts = await showTranscripts(tab, page, "400");
    const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problem(page, `at 400 px the page is ${overflow} px wider than the window`);
    await closeTranscripts();
    await tab.screenshot({ path: path.join(out, "400", shotName(page)), fullPage: true });
}

fs.mkdirSync(path.join(out, "transcripts"), { recursive: true });
for (const page of pages) {
    await visit(page, base + page, 1280, async (tab) => {
        const closeTranscripts = await showTranscripts(tab, page, "1280");
        const facts = await tab.evaluate(() => {
            const elementIds = [...document.querySelectorAll("[id]")].map((e) => e.id);
            const repeated = [...new Set(elementIds.filter((id, i) => elementIds.indexOf(id) !== i))];
            const ids = elementIds
                .concat([...document.querySelectorAll("a[name]")].map((e) => e.getAttribute("name")));
            const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
            // A code block is too wide when its text does not fit the box the
            // theme gives it (the box then scrolls sideways).
            const tooWide = (box) => box.scrollWidth > box.clientWidth + 1;
            const wideTranscripts = [...document.querySelectorAll("details.syscall-transcript")].filter(tooWide)
                .map((box) => `strace transcript: ${box.scrollWidth} px of text in ${box.clientWidth} px`);
            const wide = [...document.querySelectorAll("div.highlight pre")]
                .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
                .map((pre) => {
                    const block = pre.closest("div.literal-block-wrapper");
                    const caption = block?.querySelector(".caption-text")?.textContent
                        ?? block?.parentElement?.querySelector(".caption-text")?.textContent ?? "";
                    const longest = pre.textContent.split("\n").reduce((a, b) => (b.length > a.length ? b : a), "");
                    return `${caption || "(no caption)"}: ${pre.scrollWidth} px of text in ${pre.clientWidth} px; `
                        + `longest line ${longest.length} columns: ${longest.trim().slice(0, 60)}...`;
                });
            const other = document.querySelector("nav.language-switch a.language-other");
            return { ids, links, wide: wide.concat(wideTranscripts), repeated,
                     lang: document.documentElement.lang, switchTo: other ? other.href : null };
        });
        switchOf.set(page, facts.switchTo);
        const lang = page.startsWith(ZH) ? "zh-CN" : "en";
        if (facts.lang !== lang) problem(page, `<html lang="${facts.lang}">, expected "${lang}"`);
        anchorsOf.set(page, new Set(facts.ids));
        linksOf.set(page, facts.links);
        for (const w of facts.wide) problem(page, `code excerpt wider than its column at 1280 px: ${w}`);
        // A repeated id makes a link to it land on whichever comes first.
        for (const id of facts.repeated) problem(page, `the id "${id}" is on more than one element`);
        await closeTranscripts();
        if (pictured(page)) await tab.screenshot({ path: path.join(out, "1280", shotName(page)), fullPage: true });
        // A Chinese page is narrowed in the same tab instead of loaded again
        // (the layout is CSS media queries, which a resize re-applies): that
        // halves the added time of the second edition.
        if (page.startsWith(ZH)) {
            await tab.setViewportSize({ width: 400, height: 900 });
            await narrow(tab, page);
        }
    });
    if (!page.startsWith(ZH)) await visit(page, base + page, 400, (tab) => narrow(tab, page));
}

// Internal links and anchors.
for (const [page, links] of linksOf) {
    for (const link of links) {
        if (!link.startsWith(base)) continue;
        const url = new URL(link);
        let target = decodeURIComponent(url.pathname.slice(1)) || "index.html";
        if (target.endsWith("/")) target += "index.html";
        if (/(^|\/)_/.test(target)) {  // _static, _sources, _images (of either edition): a file must exist
            if (!fs.existsSync(path.join(root, target))) problem(page, `link to a missing file: ${target}`);
            continue;
        }
        if (!anchorsOf.has(target)) {
            problem(page, `link to a page that does not exist: ${target}`);
            continue;
        }
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor && !anchorsOf.get(target).has(anchor)) problem(page, `link to a missing anchor: ${target}#${anchor}`);
    }
}

// The language switch: on every page of either edition, a link to the same
// page in the other edition (a page that exists: its anchors were recorded).
for (const [page, target] of switchOf) {
    const expected = base + counterpart(page);
    if (!target) problem(page, "no language switch");
    else if (target !== expected) problem(page, `the language switch leads to ${target}, not ${expected}`);
    else if (!anchorsOf.has(counterpart(page))) problem(page, `the language switch leads to a missing page: ${target}`);
}

// Search: "Waker" must list chapter 07; in the Chinese edition, each query of
// SEARCHES must list its page (jieba splits the Chinese text).
const SEARCHES = [
    ["", "Waker", "chapters/07-waker.html"],
    [ZH, "就绪", "chapters/05-poll.html"],
    [ZH, "边缘触发", "chapters/02-selector/epoll.html"],
];
for (const [edition, query, expected] of SEARCHES) {
    const page = edition + "search.html";
    await visit(page, `${base}${page}?q=${encodeURIComponent(query)}`, 1280, async (tab) => {
        try {
            // Finished: the summary gives the count of pages found, and every
            // one of them is listed (they appear one by one).
            await tab.waitForFunction(() => {
                const summary = document.querySelector("#search-results p.search-summary, #search-results p");
                const found = summary && summary.textContent.match(/(\d+)/);
                return found && Number(found[1]) > 0 &&
                    document.querySelectorAll("#search-results ul.search li").length >= Number(found[1]);
            }, null, { timeout: 20000 });
        } catch {
            problem(page, `a search for ${query} listed nothing within 20 s`);
            return;
        }
        const hits = await tab.$$eval("#search-results ul.search li a", (as) => as.map((a) => a.getAttribute("href")));
        if (!hits.some((href) => href.split(/[?#]/)[0].replace(/^\.\//, "") === expected))
            problem(page, `a search for ${query} does not list ${expected} (it lists: ${hits.slice(0, 8).join(", ")})`);
        await tab.screenshot({ path: path.join(out, "1280", `${edition.replace("/", "_")}search-${encodeURIComponent(query)}.png`) });
    });
}

// The switch clicked where relative links are easiest to get wrong: a page
// opened from file://, two folders down, to Chinese and back.
{
    const page = "chapters/02-selector/epoll.html";
    await visit(`${page} (file://)`, "file://" + path.join(root, page), 1280, async (tab) => {
        for (const want of [ZH + page, page]) {
            await Promise.all([tab.waitForNavigation(), tab.click("nav.language-switch a.language-other")]);
            if (tab.url() !== "file://" + path.join(root, want))
                problem(page, `from file://, the language switch led to ${tab.url()}, not ${want}`);
        }
    });
}

// The dark/light toggle: it must be visible, and clicking it must change the
// page's colours (furo cycles auto -> dark -> light, or auto -> light -> dark).
const colours = (tab) => tab.evaluate(() => {
    const style = getComputedStyle(document.body);
    const code = document.querySelector("div.highlight");
    return `${style.backgroundColor} / ${style.color} / ${code ? getComputedStyle(code).backgroundColor : ""}`;
});
const luminance = (rgb) => {
    const [r, g, b] = (rgb.match(/\d+/g) || ["0", "0", "0"]).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
// Chapter 09 has a diagram, which the dark theme inverts: look at it there.
for (const page of ["index.html", "chapters/02-selector.html", "chapters/07-waker.html", "chapters/09-runtime.html",
                    ZH + "index.html", ZH + "chapters/06-events.html"]) {
    for (const width of [1280, 400]) {
        await visit(page, base + page, width, async (tab) => {
            const toggle = tab.locator(".theme-toggle:visible").first();
            if ((await toggle.count()) === 0) {
                problem(page, `no visible dark/light toggle at ${width} px`);
                return;
            }
            const seen = [await colours(tab)];
            let dark = null;
            for (let click = 0; click < 3; click++) {
                await toggle.click();
                await tab.waitForTimeout(150);
                seen.push(await colours(tab));
                if ((await tab.evaluate(() => document.body.dataset.theme)) === "dark") {
                    dark = seen[seen.length - 1];
                    await tab.screenshot({ path: path.join(out, "dark", `${width}-${shotName(page)}`), fullPage: true });
                    await (await showTranscripts(tab, page, `dark-${width}`))();
                }
            }
            if (new Set(seen).size < 2) problem(page, `the toggle does not change the colours (${seen[0]})`);
            else if (!dark) problem(page, "the toggle never selects the dark theme");
            else if (luminance(dark.split(" / ")[0]) > 100)
                problem(page, `the dark theme's background is not dark: ${dark}`);
            // Leave the next pages in the default (auto) theme.
            await tab.evaluate(() => localStorage.removeItem("theme"));
        });
    }
}

// The default theme ("auto") follows the system: on a dark desktop the whole
// page turns dark, not only the code blocks.
await visit("index.html", base + "index.html", 1280, async (tab) => {
    await tab.evaluate(() => localStorage.removeItem("theme"));
    await tab.emulateMedia({ colorScheme: "dark" });
    await tab.reload({ waitUntil: "load" });
    const [background, code] = (await colours(tab)).split(" / ").filter((_, i) => i !== 1);
    if (luminance(background) > 100)
        problem("index.html", `with a dark system and the auto theme the page stays light (${background})`);
    if (code && luminance(code) > 100) problem("index.html", `with a dark system the code stays light (${code})`);
    await tab.screenshot({ path: path.join(out, "dark", "auto-system-dark-index.png") });
});

await context.close();
server.close();
fs.rmSync(profile, { recursive: true, force: true });

console.log(`${pages.length} pages checked at 1280 and 400 px; screenshots in ${out}/{1280,400,dark,transcripts}`);
if (problems.length) {
    const unique = [...new Set(problems)];
    for (const p of unique) console.log(`FAIL ${p}`);
    console.log(`${unique.length} problem(s)`);
    process.exit(1);
}
console.log("no problems");
