//! The site in a real browser: headless Chromium opens `index.html` and a statement page
//! of the conflict fixture from disk and checks what a reader sees: the conflict list,
//! right-to-left sentences, diff marks. It saves screenshots for a person to look at.
//!
//! The pages have no JavaScript. To read computed styles the test loads each page in an
//! iframe of a probe page of its own, whose script writes what it measured into the DOM
//! that `--dump-dom` prints.
//!
//! Skipped, with a message, when `chromium` is not on PATH; `COMPARE_REQUIRE_BROWSER=1`
//! (set by `.ci/run`) turns the skip into a failure, so CI always runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The browser, or `None` after printing why the test is skipped.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(p) => Some(p),
        None if std::env::var_os("COMPARE_REQUIRE_BROWSER").is_some_and(|v| v == "1") => {
            panic!("{test}: chromium is not on PATH but COMPARE_REQUIRE_BROWSER=1; install it (apt-get install -y chromium)")
        }
        None => {
            eprintln!("SKIPPED {test}: chromium is not on PATH; install it (apt-get install -y chromium) or set COMPARE_REQUIRE_BROWSER=1 to make this a failure");
            None
        }
    }
}

/// Run headless Chromium with `args`, killing it after a minute; returns stdout.
fn run(browser: &Path, profile: &Path, args: &[&str]) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within a minute: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Load `page` in an iframe, run `checks` (a JS function body over `d`, the page's
/// document, returning an array of `key=value` strings) and return them.
fn probe(browser: &Path, dir: &Path, page: &Path, checks: &str) -> Vec<String> {
    probe_at(browser, dir, page, 1280, checks)
}

/// [`probe`], the page in an iframe `width` CSS pixels wide.
fn probe_at(browser: &Path, dir: &Path, page: &Path, width: u32, checks: &str) -> Vec<String> {
    let probe = dir.join("probe.html");
    std::fs::write(
        &probe,
        format!(
            r#"<!DOCTYPE html><html><body><pre id="out">probe did not run</pre>
<iframe id="f" src="{src}" width="{width}" height="1600"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {{
  var d = this.contentDocument, out;
  try {{ out = d ? (function (d) {{ {checks} }})(d) : ['error=no access to the page']; }}
  catch (e) {{ out = ['error=' + e]; }}
  document.getElementById('out').textContent = '\n' + out.join('\n') + '\n';
}});
</script></body></html>"#,
            src = url(page)
        ),
    )
    .expect("write probe page");
    let profile = tempfile::tempdir().expect("profile folder");
    let dom = run(
        browser,
        profile.path(),
        &["--virtual-time-budget=5000", "--dump-dom", &url(&probe)],
    );
    let start = dom
        .find(r#"<pre id="out">"#)
        .expect("probe output in the DOM");
    let body = &dom[start..];
    let body = &body[..body.find("</pre>").expect("end of probe output")];
    let lines: Vec<String> = body
        .lines()
        .skip(1)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        !lines.iter().any(|l| l.starts_with("error=")),
        "probe of {}: {lines:?}",
        page.display()
    );
    lines
}

fn value<'a>(lines: &'a [String], key: &str) -> &'a str {
    lines
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("probe did not report {key}: {lines:?}"))
}

fn screenshot(browser: &Path, page: &Path, name: &str, dark: bool) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let png = dir.join(name);
    let _ = std::fs::remove_file(&png);
    let profile = tempfile::tempdir().expect("profile folder");
    let mut args = vec![
        "--window-size=1280,1600".to_string(),
        format!("--screenshot={}", png.display()),
    ];
    if dark {
        args.push("--force-dark-mode".into());
        args.push("--blink-settings=preferredColorScheme=0".into());
    }
    args.push(url(page));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(browser, profile.path(), &args);
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "screenshot {} is empty", png.display());
    eprintln!("screenshot: {}", png.display());
    png
}

/// The site of the conflict fixture, built into `dir/site`.
fn conflict_site(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    build_site(&root.join("tests/fixtures/conflict"), dir.join("site"))
}

/// [`probe_at`] on the index.html of a site built from the seeds.
fn probe_seeds_index(browser: &Path, width: u32, checks: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = seeds_site(tmp.path());
    probe_at(browser, tmp.path(), &site.join("index.html"), width, checks)
}

/// The site of the sample corpus (`seeds/`), built into `dir/site`.
fn seeds_site(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    build_site(&root.join("seeds"), dir.join("site"))
}

/// The site of `seeds` with the shipped rules, built into `site`.
fn build_site(seeds: &Path, site: PathBuf) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    compare::build(&compare::Options {
        seeds: seeds.to_path_buf(),
        rules: root.join("rules.toml"),
        out: site.clone(),
        force: false,
        lossy: false,
    })
    .unwrap_or_else(|e| panic!("{} builds: {e:#}", seeds.display()));
    site
}

#[test]
fn overview_and_statement_page_render_in_chromium() {
    let Some(browser) = browser_or_skip("overview_and_statement_page_render_in_chromium") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = conflict_site(tmp.path());

    let index = probe(
        &browser,
        tmp.path(),
        &site.join("index.html"),
        r#"
        var cards = d.querySelectorAll('#conflicts article.card.conflict');
        var shown = Array.prototype.filter.call(cards, function (c) { return c.getBoundingClientRect().height > 40; });
        var ev = d.querySelector('#conflicts td[dir=rtl]');
        return [
          'lang=' + d.documentElement.lang,
          'scripts=' + d.scripts.length,
          'conflicts=' + cards.length,
          'conflicts_shown=' + shown.length,
          'conflict_heading=' + d.querySelector('#h-conflicts').textContent,
          'badge=' + cards[0].querySelector('.badge').textContent.trim(),
          'evidence_dir=' + getComputedStyle(ev).direction,
          'evidence_mark=' + ev.querySelectorAll('mark').length,
          'first_section=' + d.querySelector('main section').id,
          'matrix_rows=' + d.querySelectorAll('#coverage tbody tr').length,
          'troops_href=' + d.querySelector('a[href*="troops-a_wakala-s2"]').getAttribute('href'),
        ];
        "#,
    );
    assert_eq!(value(&index, "lang"), "en");
    assert_eq!(
        value(&index, "scripts"),
        "0",
        "the site needs no JavaScript"
    );
    assert_eq!(value(&index, "conflicts"), "2");
    assert_eq!(
        value(&index, "conflicts_shown"),
        "2",
        "conflict cards have height"
    );
    assert_eq!(value(&index, "conflict_heading"), "Conflicts (2)");
    assert_eq!(value(&index, "badge"), "✗ conflict");
    assert_eq!(value(&index, "evidence_dir"), "rtl");
    assert_eq!(value(&index, "evidence_mark"), "1");
    assert_eq!(value(&index, "first_section"), "conflicts");
    // Three statements with their values, and the person statement naming Tiani.
    assert_eq!(value(&index, "matrix_rows"), "5");

    // The statement is a section of its story's statements page, linked from the index.
    assert_eq!(
        value(&index, "troops_href"),
        "statements/no-story.html#troops-a_wakala-s2"
    );
    let statement = site.join("statements/no-story.html");
    let st = probe(
        &browser,
        tmp.path(),
        &statement,
        r#"
        var s = d.getElementById('troops-a_wakala-s2');
        var q = s.querySelectorAll('blockquote.sentence');
        var del = s.querySelector('.diff del'), ins = s.querySelector('.diff ins');
        var diff = s.querySelector('.diff');
        return [
          'sections=' + d.querySelectorAll('section.statement').length,
          'toc_links=' + d.querySelectorAll('nav.toc a').length,
          'h1=' + d.querySelector('h1').textContent.trim(),
          'members=' + q.length,
          'sentence_dir=' + getComputedStyle(q[0]).direction,
          'diff_dir=' + getComputedStyle(diff).direction,
          'del=' + del.textContent,
          'ins=' + ins.textContent,
          'del_line=' + getComputedStyle(del).textDecorationLine,
          'ins_line=' + getComputedStyle(ins).textDecorationLine,
          'del_visible=' + (del.getBoundingClientRect().width > 0),
          // In right-to-left text the deleted reference word comes first, to the right.
          'del_right_of_ins=' + (del.getBoundingClientRect().left > ins.getBoundingClientRect().left),
          'focus_marks=' + s.querySelectorAll('mark.claim.focus').length,
          'h2=' + s.querySelector('h2').textContent.trim(),
        ];
        "#,
    );
    assert_eq!(value(&st, "members"), "3");
    assert_eq!(value(&st, "sentence_dir"), "rtl");
    assert_eq!(value(&st, "diff_dir"), "rtl");
    assert_eq!(value(&st, "del"), "1500");
    assert_eq!(value(&st, "ins"), "2000");
    assert_eq!(value(&st, "del_line"), "line-through");
    assert_eq!(value(&st, "ins_line"), "underline");
    assert_eq!(value(&st, "del_visible"), "true");
    assert_eq!(value(&st, "del_right_of_ins"), "true");
    assert_eq!(value(&st, "focus_marks"), "3");
    assert!(value(&st, "h2").starts_with("✗ conflict troops: 1500 soldiers (FR) vs 2000"));
    assert_eq!(value(&st, "sections"), "5");
    assert_eq!(value(&st, "toc_links"), "5");
    assert_eq!(value(&st, "h1"), "Statements");

    screenshot(&browser, &site.join("index.html"), "index.png", false);
    screenshot(&browser, &statement, "statement.png", false);
    screenshot(&browser, &statement, "statement-dark.png", true);
}

/// No page scrolls sideways, in a wide window or a phone's: a wide table scrolls in a box
/// of its own, what its cells hold for screen readers only (`.sr`, positioned out of the
/// flow) stays inside that box, and a statement's cards narrow to the page. Each failed
/// once: the coverage table's hidden labels widened the overview by 4 px in a 1 200 px
/// window and by 400 px in an 800 px one; on a phone, the cards' 22rem minimum widened
/// the statement pages, and the rule examples' table the rules page.
#[test]
fn no_page_scrolls_sideways() {
    let Some(browser) = browser_or_skip("no_page_scrolls_sideways") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = conflict_site(tmp.path());
    let pages = [
        "index.html",
        "statements/no-story.html",
        "documents/no-story.html",
        "timeline.html",
        "rules.html",
    ];
    assert_pages_fit(&browser, tmp.path(), &site, &pages);
    // A corpus of several stories has pages of its own: the index with the agreements of
    // every story one to a row, their list pages, and a page per story. 25 generated
    // stories give more than a page of agreements.
    let corpus = tmp.path().join("corpus");
    compare::gen::generate(&compare::gen::GenOptions {
        stories: 25,
        seed: 1,
        out: corpus.clone(),
        force: false,
    })
    .expect("generation succeeds");
    let stories = build_site(&corpus.join("seeds"), tmp.path().join("stories-site"));
    let pages = [
        "index.html",
        "lists/agreements-2.html",
        "stories/s000000.html",
        "statements/s000000.html",
        "documents/s000000.html",
    ];
    assert_pages_fit(&browser, tmp.path(), &stories, &pages);
}

/// On a phone, each outlet's row of a card (outlet, date, value, then the evidence) fits
/// its card: the seeds' 003 has a 20-letter name and "no date found", which widened the
/// row past the screen and clipped the start of the Arabic evidence (its right end) in a
/// box that scrolled sideways with no scroll bar in sight.
#[test]
fn a_card_fits_a_phone_whatever_its_outlet_is_called() {
    let Some(browser) = browser_or_skip("a_card_fits_a_phone_whatever_its_outlet_is_called") else {
        return;
    };
    let lines = probe_seeds_index(
        &browser,
        360,
        r#"
        var t = d.querySelectorAll('table.values'), wide = 0;
        for (var i = 0; i < t.length; i++) {
          if (t[i].scrollWidth > t[i].parentElement.clientWidth) { wide++; }
        }
        return ['cards=' + t.length, 'wide=' + wide];
        "#,
    );
    assert_ne!(value(&lines, "cards"), "0", "{lines:?}");
    assert_eq!(value(&lines, "wide"), "0", "{lines:?}");
}

/// Each of `pages` of `site`, in a window 1 280 and 360 px wide, is no wider than the
/// window; an overview has its tables in scroll boxes.
fn assert_pages_fit(browser: &Path, dir: &Path, site: &Path, pages: &[&str]) {
    for page in pages {
        assert!(site.join(page).is_file(), "{page} was built");
        for width in [1280, 360] {
            let lines = probe_at(
                browser,
                dir,
                &site.join(page),
                width,
                r#"
                var e = d.documentElement;
                return ['page=' + e.scrollWidth, 'window=' + e.clientWidth,
                        'tables=' + d.querySelectorAll('.scroll table').length];
                "#,
            );
            let wide: u32 = value(&lines, "page").parse().expect("a width");
            let window: u32 = value(&lines, "window").parse().expect("a width");
            assert!(
                wide <= window,
                "{page} at {width} px is {wide} px wide, wider than its window ({window} px): {lines:?}"
            );
            if page.ends_with("index.html") || page.starts_with("lists/") {
                assert_ne!(value(&lines, "tables"), "0", "{page} has its tables");
            }
        }
    }
}

/// On a phone, a table wider than the screen says it scrolls sideways, as a phone shows no
/// scroll bar until it is touched: its box paints a shadow on each side with more to see
/// (the two shadows fixed to the box, the two covers that hide them at either end moving
/// with the table), and the table lets the box's background show through.
#[test]
fn a_table_that_scrolls_on_a_phone_shows_a_shadow_where_more_is() {
    let Some(browser) =
        browser_or_skip("a_table_that_scrolls_on_a_phone_shows_a_shadow_where_more_is")
    else {
        return;
    };
    let lines = probe_seeds_index(
        &browser,
        360,
        r#"
        var box = d.querySelector('#coverage table.matrix').parentElement;
        var s = getComputedStyle(box), t = getComputedStyle(box.querySelector('table'));
        return ['class=' + box.className,
                'scrolls=' + (box.scrollWidth > box.clientWidth),
                'attachment=' + s.backgroundAttachment,
                'shadows=' + (s.backgroundImage.match(/radial-gradient/g) || []).length,
                'covers=' + (s.backgroundImage.match(/linear-gradient/g) || []).length,
                'table=' + t.backgroundColor];
        "#,
    );
    assert_eq!(value(&lines, "class"), "scroll", "{lines:?}");
    assert_eq!(value(&lines, "scrolls"), "true", "{lines:?}");
    assert!(
        value(&lines, "attachment").starts_with("local, local, scroll, scroll"),
        "the covers move with the table, the shadows stay: {lines:?}"
    );
    assert_eq!(value(&lines, "shadows"), "2", "{lines:?}");
    assert_eq!(value(&lines, "covers"), "2", "{lines:?}");
    assert_eq!(value(&lines, "table"), "rgba(0, 0, 0, 0)", "{lines:?}");
}

/// In a 1 280 px window the seeds' coverage table fits its box: an outlet's list of values
/// wraps between its values. Each list was one unbreakable line (`yevkurov, sadio_camara,
/// salifou_mody`), which pushed the last outlet's column 52 px past the box, where it
/// scrolled out of sight with no scroll bar to say so.
#[test]
fn the_coverage_table_fits_a_desktop_window() {
    let Some(browser) = browser_or_skip("the_coverage_table_fits_a_desktop_window") else {
        return;
    };
    let lines = probe_seeds_index(
        &browser,
        1280,
        r#"
        var t = d.querySelector('#coverage table.matrix'), box = t.parentElement;
        var v = t.querySelectorAll('td .value'), split = 0;
        for (var i = 0; i < v.length; i++) {
          if (v[i].getClientRects().length > 1) { split++; }
        }
        return ['columns=' + t.querySelectorAll('thead th').length,
                'table=' + box.scrollWidth, 'box=' + box.clientWidth, 'split=' + split];
        "#,
    );
    assert_eq!(value(&lines, "columns"), "6", "{lines:?}");
    let table: u32 = value(&lines, "table").parse().expect("a width");
    let room: u32 = value(&lines, "box").parse().expect("a width");
    assert!(
        table <= room,
        "the coverage table is {table} px wide in a {room} px box: {lines:?}"
    );
    assert_eq!(
        value(&lines, "split"),
        "0",
        "no value breaks over two lines: {lines:?}"
    );
}

/// The timeline's chart keeps its labels readable on a phone: it scrolls sideways in its
/// box, under a hint that says so, where it shrank to the screen's width with its text a
/// third of its size (4 px). In a desktop window it fits its box, with no hint.
#[test]
fn the_timeline_scrolls_on_a_phone_and_fits_a_desktop_window() {
    let Some(browser) =
        browser_or_skip("the_timeline_scrolls_on_a_phone_and_fits_a_desktop_window")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = conflict_site(tmp.path());
    let checks = r#"
        var svg = d.querySelector('figure.timeline svg.timeline'), box = svg.parentElement;
        var hint = d.querySelector('figure.timeline .scroll-hint');
        var tick = svg.querySelector('text.tick').getBoundingClientRect();
        return ['scale=' + Math.round(100 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width),
                'tick_height=' + Math.round(tick.height),
                'scrolls=' + (box.scrollWidth > box.clientWidth),
                'overflow=' + getComputedStyle(box).overflowX,
                'hint=' + (hint !== null && hint.getBoundingClientRect().height > 0),
                'page=' + d.documentElement.scrollWidth, 'window=' + d.documentElement.clientWidth];
    "#;
    let phone = probe_at(
        &browser,
        tmp.path(),
        &site.join("timeline.html"),
        390,
        checks,
    );
    let scale: u32 = value(&phone, "scale").parse().expect("a percentage");
    assert!(
        scale >= 80,
        "the chart is drawn at {scale}% on a phone: {phone:?}"
    );
    let tick: u32 = value(&phone, "tick_height").parse().expect("a height");
    assert!(
        tick >= 9,
        "an axis label is {tick} px high on a phone: {phone:?}"
    );
    assert_eq!(value(&phone, "scrolls"), "true", "{phone:?}");
    assert_eq!(value(&phone, "overflow"), "auto", "{phone:?}");
    assert_eq!(
        value(&phone, "hint"),
        "true",
        "a phone is told to scroll: {phone:?}"
    );
    assert_eq!(
        value(&phone, "page"),
        value(&phone, "window"),
        "only the chart scrolls: {phone:?}"
    );

    let desk = probe(&browser, tmp.path(), &site.join("timeline.html"), checks);
    assert_eq!(value(&desk, "scrolls"), "false", "{desk:?}");
    assert_eq!(value(&desk, "hint"), "false", "{desk:?}");
    let scale: u32 = value(&desk, "scale").parse().expect("a percentage");
    assert!(scale >= 100, "the chart fills a desktop window: {desk:?}");
}

/// In an article, the punctuation that closes a claim's word (a closing quote, `،`, a full
/// stop) stays against the word, on the same line, whichever way the paragraph runs; the
/// claim's value tag comes after it. The tag came between them, which pushed `"،` and `.`
/// a tag's width away from their word, or onto the next line.
#[test]
fn punctuation_stays_with_the_word_a_value_tag_follows() {
    let Some(browser) = browser_or_skip("punctuation_stays_with_the_word_a_value_tag_follows")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = seeds_site(tmp.path());
    for width in [1280, 390] {
        let lines = probe_at(
            &browser,
            tmp.path(),
            &site.join("documents/no-story.html"),
            width,
            r#"
            var marks = d.querySelectorAll('.article mark.claim'), checked = 0, apart = [];
            for (var i = 0; i < marks.length; i++) {
              var m = marks[i], node = m.nextSibling;
              // The text the article has right after the claim, wherever the tag is.
              if (node && node.nodeType === 1 && node.classList.contains('val')) { node = node.nextSibling; }
              if (!node || node.nodeType !== 3 || !/^["'.,:;!?)\]»”’،؛؟]/.test(node.data)) { continue; }
              checked++;
              var r = d.createRange(); r.setStart(node, 0); r.setEnd(node, 1);
              var p = r.getBoundingClientRect(), w = m.getClientRects(), end = w[w.length - 1];
              var rtl = getComputedStyle(m.parentElement).direction === 'rtl';
              var gap = rtl ? end.left - p.right : p.left - end.right;
              if (Math.abs(gap) > 4 || Math.abs(p.bottom - end.bottom) > 4) {
                apart.push(m.textContent + node.data.charAt(0) + ' gap ' + Math.round(gap) + ' drop ' + Math.round(p.bottom - end.bottom));
              }
            }
            return ['checked=' + checked, 'apart=' + apart.length, 'first=' + (apart[0] || '')];
            "#,
        );
        let checked: u32 = value(&lines, "checked").parse().expect("a count");
        assert!(checked >= 10, "at {width} px: {lines:?}");
        assert_eq!(value(&lines, "apart"), "0", "at {width} px: {lines:?}");
    }
}
