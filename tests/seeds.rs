//! End to end on the real seed corpus: the claims, groups and verdicts issue 2 names.

mod common;

use compare::render::{ClaimOut, Report, StatementOut};
use std::path::Path;
use std::sync::OnceLock;

fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let rules = compare::rules::load(&root.join("rules.toml")).expect("shipped rules load");
        let outcome = compare::analyse(&root.join("seeds"), &rules, Default::default())
            .expect("seeds analyse");
        outcome.report
    })
}

const D000: &str = "000_ad269960ebcb6093";
const D001: &str = "001_d45d6a35b88756b9";
const D002: &str = "002_6e47a6734b8438c4";
const D003: &str = "003_542dd368f5c3bf23";
const D004: &str = "004_71888a1a17af4fa9";
/// How pages and reasons name 003's outlet, which the article does not give.
const O003: &str = "unknown outlet of 003_542dd368f5c3bf23.txt";

fn claims<'a>(doc: &str, kind: &str) -> Vec<&'a ClaimOut> {
    report()
        .claims
        .iter()
        .filter(|c| c.doc == doc && c.kind == kind)
        .collect()
}

fn claim_with_text<'a>(doc: &str, kind: &str, text: &str) -> &'a ClaimOut {
    let all = claims(doc, kind);
    all.iter()
        .find(|c| c.text == text)
        .or_else(|| all.iter().find(|c| c.text.contains(text)))
        .copied()
        .unwrap_or_else(|| {
            panic!(
                "no {kind} claim containing {text:?} in {doc}: {:#?}",
                claims(doc, kind)
            )
        })
}

fn statement_of<'a>(c: &ClaimOut) -> &'a StatementOut {
    let id = c
        .statement
        .as_deref()
        .expect("claim belongs to a statement");
    report()
        .statements
        .iter()
        .find(|s| s.id == id)
        .expect("statement exists")
}

fn docs_of(s: &StatementOut) -> Vec<&str> {
    let mut d: Vec<&str> = s.members.iter().map(|m| m.doc.as_str()).collect();
    d.sort_unstable();
    d
}

#[test]
fn metadata_is_found_from_the_rules_patterns() {
    let r = report();
    let doc = |id: &str| r.documents.iter().find(|d| d.id == id).unwrap();
    assert_eq!(doc(D000).published.as_deref(), Some("2024-04-12"));
    assert_eq!(doc(D001).published.as_deref(), Some("2023-12-05"));
    assert_eq!(doc(D002).published.as_deref(), Some("2023-09-16"));
    assert_eq!(doc(D003).published, None);
    assert_eq!(doc(D004).published.as_deref(), Some("2024-04-24"));
    assert!(doc(D003)
        .notes
        .iter()
        .any(|n| n.contains("no publication date")));
    assert_eq!(doc(D000).outlet, "صحيفة الاتحاد");
    assert_eq!(doc(D001).outlet, "Công Luận");
    assert_eq!(doc(D002).outlet, "العربية");
    // 003 gives no outlet: it is named as such, by its file, never by a name that reads
    // like an outlet's, and is not counted as an outlet.
    assert_eq!(doc(D003).outlet, O003);
    assert_eq!(doc(D003).outlet_source, "file name");
    assert_eq!((r.corpus.outlets, r.corpus.outlet_unknown), (4, 1));
    assert_eq!(doc(D004).outlet, "RT Arabic");
    assert_eq!(doc(D001).title, "النيجر تتجه للتعاون الدفاعي مع روسيا");
    assert_eq!(
        doc(D003).title,
        "ترسل روسيا مدربين عسكريين ونظام دفاع جوي إلى النيجر لطرد الولايات المتحدة"
    );
    assert_eq!(doc(D000).title, "روسيا والنيجر يعززان تعاونهما العسكري");
}

#[test]
fn us_troops_agree_across_000_and_003() {
    let a = claim_with_text(D000, "troops", "زهاء ألف جندي أميركي");
    let b = claim_with_text(D003, "troops", "نحو ألف جندي أميركي");
    for c in [a, b] {
        assert_eq!(c.value, serde_json::json!(1000));
        assert_eq!(c.qualifier.as_deref(), Some("approx"));
        assert_eq!(c.subject.as_deref(), Some("US"));
    }
    let s = statement_of(a);
    assert_eq!(s.id, statement_of(b).id);
    assert_eq!(s.verdict, "agree", "{}", s.reason);
    assert_eq!(docs_of(s), vec![D000, D003]);
}

#[test]
fn french_troops_are_a_single_claim_not_a_conflict() {
    let c = claim_with_text(D001, "troops", "1500 جندي");
    assert_eq!(c.value, serde_json::json!(1500));
    assert_eq!(c.subject.as_deref(), Some("FR"));
    let s = statement_of(c);
    assert_eq!(s.verdict, "single", "{}", s.reason);
    assert_eq!(docs_of(s), vec![D001]);
    assert!(report()
        .statements
        .iter()
        .all(|s| s.verdict != "conflict" || s.kind != "troops"));
}

#[test]
fn a_single_source_name_statement_says_who_else_names_the_entity() {
    // 001 names Wagner in a sentence no other outlet shares; العربية and 003 name Wagner
    // in other sentences, which the reason says, so "only Công Luận reports this" is not
    // read as "only Công Luận names Wagner".
    let c = claim_with_text(D001, "org", "فاغنر");
    let s = statement_of(c);
    assert_eq!(s.verdict, "single", "{}", s.reason);
    assert!(
        s.reason.ends_with(&format!(
            "also named in other sentences: فاغنر by {O003} and العربية"
        )),
        "{}",
        s.reason
    );
    // A name no other outlet gives has no such note; a name given twice is listed once, counted.
    let phee = claim_with_text(D003, "person", "مولي في");
    assert_eq!(
        statement_of(phee).reason,
        "Only the article 003_542dd368f5c3bf23.txt, of unknown outlet, reports this (مولي في)"
    );
    let ecowas = report()
        .statements
        .iter()
        .find(|s| s.id == format!("org-{D001}-s12"))
        .expect("001's sentence 12 names Wagner and ECOWAS");
    // ECOWAS as its acronym and, in brackets, its expansion: one mention, not `إيكواس ×2`.
    assert!(
        ecowas
            .reason
            .starts_with("Only Công Luận reports this (فاغنر, إيكواس);"),
        "{}",
        ecowas.reason
    );
}

#[test]
fn tiani_putin_call_dates_agree() {
    let a = claim_with_text(D000, "date", "26 مارس");
    assert_eq!(a.value, serde_json::json!("2024-03-26"));
    let s = statement_of(a);
    assert_eq!(s.verdict, "agree", "{}", s.reason);
    assert!(
        docs_of(s).contains(&D003),
        "003's call in March joins: {s:#?}"
    );
    let m = s.members.iter().find(|m| m.doc == D003).unwrap();
    assert!(m.text.contains("مكالمة هاتفية"), "{}", m.text);
    assert_eq!(
        m.values,
        vec!["XXXX-03".to_string()],
        "no publication date: unresolved, never guessed"
    );
    // The pages and the reason say so in words; report.json keeps the code above.
    assert_eq!(report().words.list(&m.values), ["March (year unknown)"]);
    assert!(
        s.reason.contains(
            "is compatible with March (year unknown) (unknown outlet of 003_542dd368f5c3bf23.txt): the dates overlap where both are known (an article with no publication date cannot place its date)"
        ),
        "{}",
        s.reason
    );
    // The same sentences' names: 000 names Tiani and Putin, 003 Putin and "the military
    // leaders". They agree on Putin, and the reason says so rather than calling Tiani
    // compatible with Putin.
    let tiani = claim_with_text(D000, "person", "عبد الرحمن تياني");
    let names = statement_of(tiani);
    assert_eq!(names.verdict, "agree", "{}", names.reason);
    assert_eq!(
        names.reason,
        "1 outlet and 1 article of unknown outlet name فلاديمير بوتين; صحيفة الاتحاد also names عبد الرحمن تياني"
    );
    // report.json keeps the ids; the pages show the names rules.toml gives.
    assert_eq!(names.members[0].values, ["tiani", "putin"]);
    assert_eq!(
        report().words.list(&names.members[0].values),
        ["عبد الرحمن تياني", "فلاديمير بوتين"]
    );
}

#[test]
fn end_of_us_agreement_agrees_across_three_outlets() {
    let a = claim_with_text(D000, "date", "مارس الماضي");
    assert_eq!(a.value, serde_json::json!("2024-03"));
    let c = claim_with_text(D004, "date", "الشهر الماضي");
    assert_eq!(c.value, serde_json::json!("2024-03"));
    let s = statement_of(a);
    assert_eq!(s.id, statement_of(c).id);
    assert_eq!(docs_of(s), vec![D000, D003, D004], "{s:#?}");
    assert_eq!(s.verdict, "agree", "{}", s.reason);
    let m003 = s.members.iter().find(|m| m.doc == D003).unwrap();
    assert!(m003.text.contains("منتصف مارس/آذار"));
    assert_eq!(m003.values, ["XXXX-03 (mid)"]);
    assert_eq!(
        report().words.list(&m003.values),
        ["mid-March (year unknown)"]
    );
}

#[test]
fn january_defence_cooperation_agrees() {
    let a = claim_with_text(D000, "date", "يناير");
    let b = claim_with_text(D004, "date", "يناير");
    assert_eq!(a.value, serde_json::json!("2024-01"));
    assert_eq!(b.value, serde_json::json!("2024-01"));
    let s = statement_of(a);
    assert_eq!(s.id, statement_of(b).id);
    assert_eq!(s.verdict, "agree", "{}", s.reason);
}

#[test]
fn relative_and_weekday_dates_resolve_against_publication() {
    assert_eq!(
        claim_with_text(D000, "date", "ليل الأربعاء").value,
        serde_json::json!("2024-04-10")
    );
    assert_eq!(
        claim_with_text(D000, "date", "اليوم الجمعة").value,
        serde_json::json!("2024-04-12")
    );
    assert_eq!(
        claim_with_text(D001, "date", "الرابع من ديسمبر").value,
        serde_json::json!("2023-12-04")
    );
    assert_eq!(
        claim_with_text(D001, "date", "4 ديسمبر").value,
        serde_json::json!("2023-12-04")
    );
    assert_eq!(
        claim_with_text(D002, "date", "26 يوليو الماضي").value,
        serde_json::json!("2023-07-26")
    );
    let unresolved = claim_with_text(D003, "date", "هذا الأسبوع");
    assert_eq!(unresolved.resolved, Some(false));
}

/// 002 line 11, published Saturday 2023-09-16: `ستتواصل يومي السبت والأحد` is future tense, so
/// that Saturday and the Sunday after it, not a Sunday six days before its Saturday.
#[test]
fn future_weekend_in_002_is_the_coming_one() {
    assert_eq!(
        claim_with_text(D002, "date", "يومي السبت").value,
        serde_json::json!("2023-09-16")
    );
    assert_eq!(
        claim_with_text(D002, "date", "الأحد").value,
        serde_json::json!("2023-09-17")
    );
}

/// 003 line 47: `في عام 2023 … مقارنة بالعام السابق` compares with 2022, the year before the one
/// just named; `العام الماضي` later in the sentence counts from the (unknown) publication date.
#[test]
fn previous_year_in_003_counts_from_the_year_named_before_it() {
    let previous = claim_with_text(D003, "date", "العام السابق");
    assert_eq!(previous.value, serde_json::json!("2022"));
    assert_eq!(previous.resolved, Some(true));
    let last = claim_with_text(D003, "date", "العام الماضي");
    assert_eq!(last.resolved, Some(false), "003 has no publication date");
}

#[test]
fn quantities_and_percentages_in_003() {
    let p = claim_with_text(D003, "percent", "38");
    assert_eq!(p.value, serde_json::json!(38));
    let m = claim_with_text(D003, "money", "100 مليون دولار");
    assert_eq!(m.value, serde_json::json!(100_000_000));
    assert_eq!(m.unit.as_deref(), Some("USD"));
    assert_eq!(m.qualifier.as_deref(), Some("at_least"));
    // The reason groups long numbers as the value column does.
    let reason = &statement_of(m).reason;
    assert!(reason.contains("≥100,000,000 USD"), "{reason}");
    let people = claim_with_text(D003, "people", "8000 شخص");
    assert_eq!(people.value, serde_json::json!(8000));
    let millions = claim_with_text(D003, "people", "ثلاثة ملايين شخص");
    assert_eq!(millions.value, serde_json::json!(3_000_000));
}

#[test]
fn name_spellings_are_grouped_with_variants() {
    let r = report();
    let entity = |id: &str| {
        r.entities
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("entity {id}"))
    };
    let tiani = entity("tiani");
    assert_eq!(tiani.verdict, "variant");
    let texts: Vec<&str> = tiani.mentions.iter().map(|m| m.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("تياني")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("تشياني")), "{texts:?}");
    let yev = entity("yevkurov");
    assert_eq!(yev.verdict, "variant");
    let texts: Vec<&str> = yev.mentions.iter().map(|m| m.text.as_str()).collect();
    assert!(texts.contains(&"يونس بيك إفكوروف"), "{texts:?}");
    assert!(texts.contains(&"لونوس بك إيفكوروف"), "{texts:?}");
    let fuzzy = r
        .claims
        .iter()
        .find(|c| c.text == "لونوس بك إيفكوروف")
        .expect("the unlisted spelling is a claim");
    assert_eq!(fuzzy.value, serde_json::json!("yevkurov"));
    assert!(
        fuzzy.like.is_some() && fuzzy.score.is_some(),
        "unlisted spellings say what they resemble"
    );
    assert_eq!(entity("salifou_mody").verdict, "same");
    // 002's ساجيو كامارا: one letter off in the given name, still Mali's Sadio Camara.
    let camara = entity("sadio_camara");
    assert!(
        camara.mentions.iter().any(|m| m.text == "ساجيو كامارا"),
        "{:?}",
        camara.mentions
    );
    // Only 002 names him: one outlet's spelling is compared with no one's, so it is not
    // called the same spelling (nor a variant, though it is not the listed one).
    assert_eq!(camara.verdict, "single");
    // 003 alone names the Alliance of Sahel States, as تحالف دول الساحل (AES): the
    // acronym in brackets restates the name, one mention of one spelling.
    let aes = entity("aes");
    assert_eq!(aes.verdict, "single", "{:?}", aes.spellings);
    assert_eq!(aes.mentions.len(), 1, "{:?}", aes.mentions);
    assert_eq!(aes.mentions[0].text, "تحالف دول الساحل");
    // Three outlets write فاغنر, two also مجموعة فاغنر: a shorter form is the same name.
    assert_eq!(entity("wagner").verdict, "same");
    // RTN (003) is the broadcaster that runs Télé Sahel (000), not another name for it.
    assert_eq!(entity("tele_sahel").verdict, "single");
    let rtn = r
        .claims
        .iter()
        .find(|c| c.text == "RTN")
        .expect("RTN claim");
    assert_eq!(rtn.value, serde_json::json!("rtn"));
    // 001 writes للاتحاد الأوروبي twice and الاتحاد الأوروبي once: ل is not a spelling, so
    // the only outlet that names the EU spells it one way.
    let eu = entity("eu");
    assert_eq!(eu.verdict, "single", "{:?}", eu.spellings);
    assert!(eu.mentions.iter().any(|m| m.text == "للاتحاد الأوروبي"));
    // Spellings are shown as the articles write them, never as their matching keys.
    assert_eq!(eu.spellings, ["الاتحاد الأوروبي"]);
    assert_eq!(yev.spellings, ["لونوس بك إيفكوروف", "يونس بيك إفكوروف"]);
    assert_eq!(entity("russian_mod").spellings, ["وزارة الدفاع الروسية"]);
}

/// The rules page lists each name's spellings as rules.toml writes them, not as the keys
/// they are matched by.
#[test]
fn the_rules_page_shows_spellings_as_rules_toml_writes_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = compare::rules::load(&root.join("rules.toml")).expect("shipped rules load");
    let page = compare::render::html::rules_page(&rules);
    assert!(
        page.contains(">وزارة الدفاع الروسية<"),
        "written form shown"
    );
    assert!(!page.contains("وزاره الدفاع الروسيه"), "no key shown");
    assert!(page.contains(">المجلس الوطني لحماية الوطن<"));
}

#[test]
fn no_claim_comes_from_an_unrelated_tail() {
    let r = report();
    // The line where each seed's unrelated tail starts.
    for (doc, tail_line) in [(D000, 15), (D001, 32), (D002, 17), (D003, 51), (D004, 12)] {
        for c in r.claims.iter().filter(|c| c.doc == doc) {
            assert!(
                c.line < tail_line,
                "{doc}: claim {:?} from the tail at line {}",
                c.text,
                c.line
            );
        }
        let d = r.documents.iter().find(|d| d.id == doc).unwrap();
        let cut = d.excluded.iter().find(|e| e.line_start == tail_line);
        assert!(
            cut.is_some(),
            "{doc}: the tail from line {tail_line} is set aside: {:#?}",
            d.excluded
        );
    }
    let all: String = r.claims.iter().map(|c| c.text.as_str()).collect();
    for tail_word in ["بزشكيان", "ياسينوفويه", "هانوي", "نتنياهو", "حماس", "505"]
    {
        assert!(
            !all.contains(tail_word),
            "claim text from a tail: {tail_word}"
        );
    }
}

#[test]
fn set_aside_text_stays_in_the_report() {
    let r = report();
    let d = r.documents.iter().find(|d| d.id == D000).unwrap();
    let reasons: Vec<&str> = d.excluded.iter().map(|e| e.reason.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.contains("كلمات دلالية")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("أخبار ذات صلة")),
        "{reasons:?}"
    );
    assert!(d.excluded.iter().any(|e| e.text.contains("سفير طهران")));
    // The inline related-news list of line 7 is cut, the sentence before it kept.
    assert!(d
        .sentences
        .iter()
        .any(|s| s.line == 7 && s.text.contains("مجالنا الجوي")));
    assert!(d
        .sentences
        .iter()
        .all(|s| !s.text.contains("الطوارئ الروسية")));
}

#[test]
fn every_claim_text_is_its_sentence_slice() {
    let r = report();
    for c in &r.claims {
        let d = r.documents.iter().find(|d| d.id == c.doc).unwrap();
        let s = d.sentences.iter().find(|s| s.id == c.sentence).unwrap();
        assert_eq!(&s.text[c.start..c.end], c.text, "{c:#?}");
    }
}

/// A changed figure must meet the original and conflict with it, not drift away as a new
/// single-source statement.
#[test]
fn a_changed_troop_count_conflicts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let changed: Vec<_> = std::fs::read_dir(root.join("seeds"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.replace("زهاء ألف جندي أميركي", "زهاء 1500 جندي أميركي");
            (path.file_name().unwrap().to_owned(), text)
        })
        .collect();
    let dir = common::seeds_from(&changed);
    let rules = compare::rules::load(&root.join("rules.toml")).unwrap();
    let outcome = compare::analyse(dir.path(), &rules, Default::default()).unwrap();
    let r = outcome.report;
    let c = r
        .claims
        .iter()
        .find(|c| c.doc == D000 && c.kind == "troops")
        .expect("000's troop claim");
    assert_eq!(c.value, serde_json::json!(1500));
    let s = r
        .statements
        .iter()
        .find(|s| Some(&s.id) == c.statement.as_ref())
        .unwrap();
    assert_eq!(s.verdict, "conflict", "{s:#?}");
    assert_eq!(docs_of(s), vec![D000, D003]);
    assert!(
        s.reason.contains("1500") && s.reason.contains("1000"),
        "{}",
        s.reason
    );
}
