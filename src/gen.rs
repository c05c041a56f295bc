//! `compare gen`: a deterministic corpus of generated Arabic news articles with ground truth.
//!
//! Each story is one event: a Sahel or African country, a foreign power, troops, money,
//! casualties, dated events and officials in roles. Six to twelve *facts* are drawn per story
//! and reported by a skewed number of outlets (most stories 2–8, a few 30+). Every
//! (fact, outlet) pair is written as one sentence with a known line and recorded in
//! `truth.jsonl` with the value shown, the variation it carries and the verdict the fact
//! must get (`agree`, `conflict` or `single`); `docs/benchmarks.md` documents the format.
//!
//! Invariants:
//! - Story `i` draws only from its own ChaCha8 stream (seeded with `--seed`, stream `i`),
//!   so a corpus of `S` stories is a prefix of any bigger one, byte for byte.
//! - File stems are `<story>-<outlet>`: unique in any corpus, so the document id compare
//!   derives (the stem) never depends on which other stories are present.
//! - Every claim the shipped `rules.toml` finds in an article body is a truth row: filler
//!   sentences carry no number, date or name, and each fact sentence exactly one claim.
//!   Only forms those rules read are written (`tests/gen.rs` checks both with compare's
//!   own extraction). Unrelated numbers live only in boilerplate tails the rules set aside.

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `compare gen` was asked to do.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub stories: usize,
    pub seed: u64,
    pub out: PathBuf,
    /// Replace `OUT/seeds` and `OUT/truth.jsonl` when they exist.
    pub force: bool,
}

/// Counts of one generation run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    pub stories: usize,
    pub articles: usize,
    pub facts: usize,
    pub rows: usize,
    pub bytes: u64,
}

/// One line of `truth.jsonl`: one fact as one outlet reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthRow {
    /// Story id, also the `story` front-matter key (`s000042`).
    pub story: String,
    /// Fact id, unique in the corpus (`s000042-f03`).
    pub fact: String,
    /// Claim type id of rules.toml: troops, people, money, percent, date, person.
    #[serde(rename = "type")]
    pub kind: String,
    /// Outlet name, as in the front matter.
    pub outlet: String,
    /// Document id as compare derives it (the file stem).
    pub doc: String,
    /// Path relative to `OUT/seeds`.
    pub path: String,
    /// 1-based line of the file holding the fact's sentence.
    pub line: usize,
    /// The value as written in that sentence (a substring of the line).
    pub value: String,
    /// What the value means: a number (without its qualifier), an ISO date at its
    /// precision, or an entity id of rules.toml.
    pub norm: String,
    /// The variation this outlet's sentence carries (see [`Class`]).
    pub class: String,
    /// The verdict the fact must get: agree, conflict or single.
    pub expect: String,
    /// For a confuser: the fact it must not be aligned with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confuser_of: Option<String>,
}

/// The variation one (fact, outlet) sentence carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// The fact's base sentence, word for word.
    None,
    // Must flag:
    NumberChanged,
    DateShifted,
    PersonSwapped,
    SingleOutlet,
    // Must not flag:
    SpellingVariant,
    Digits,
    NumberFormat,
    Rounding,
    DateForm,
    Paraphrase,
    Boilerplate,
    /// Same template and entity as another fact of the story, a different fact.
    Confuser,
}

impl Class {
    pub const ALL: [Class; 13] = [
        Class::None,
        Class::NumberChanged,
        Class::DateShifted,
        Class::PersonSwapped,
        Class::SingleOutlet,
        Class::SpellingVariant,
        Class::Digits,
        Class::NumberFormat,
        Class::Rounding,
        Class::DateForm,
        Class::Paraphrase,
        Class::Boilerplate,
        Class::Confuser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::None => "none",
            Class::NumberChanged => "number_changed",
            Class::DateShifted => "date_shifted",
            Class::PersonSwapped => "person_swapped",
            Class::SingleOutlet => "single_outlet",
            Class::SpellingVariant => "spelling_variant",
            Class::Digits => "digits",
            Class::NumberFormat => "number_format",
            Class::Rounding => "rounding",
            Class::DateForm => "date_form",
            Class::Paraphrase => "paraphrase",
            Class::Boilerplate => "boilerplate",
            Class::Confuser => "confuser",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// A changed value in one outlet: the fact must be a conflict.
    pub fn must_flag(self) -> bool {
        matches!(
            self,
            Class::NumberChanged | Class::DateShifted | Class::PersonSwapped
        )
    }
}

/// Claim types the generator writes (ids of the shipped rules.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Troops,
    People,
    Money,
    Percent,
    Date,
    Person,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Troops => "troops",
            Kind::People => "people",
            Kind::Money => "money",
            Kind::Percent => "percent",
            Kind::Date => "date",
            Kind::Person => "person",
        }
    }

    /// The must-not-flag classes that apply to a fact of this type.
    fn harmless(self) -> &'static [(Class, u32)] {
        match self {
            Kind::Troops | Kind::People | Kind::Money | Kind::Percent => &[
                (Class::None, 1),
                (Class::Digits, 1),
                (Class::NumberFormat, 1),
                (Class::Rounding, 1),
                (Class::Paraphrase, 1),
                (Class::Boilerplate, 1),
            ],
            Kind::Date => &[
                (Class::None, 1),
                (Class::Digits, 1),
                (Class::NumberFormat, 1),
                (Class::DateForm, 1),
                (Class::Paraphrase, 1),
                (Class::Boilerplate, 1),
            ],
            Kind::Person => &[
                (Class::None, 1),
                (Class::SpellingVariant, 3),
                (Class::Paraphrase, 1),
                (Class::Boilerplate, 1),
            ],
        }
    }

    fn changed(self) -> Class {
        match self {
            Kind::Date => Class::DateShifted,
            Kind::Person => Class::PersonSwapped,
            _ => Class::NumberChanged,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Word lists. Every spelling is one the shipped rules.toml reads (places of
// [lexicon.place], subjects of [lexicon.subject], aliases of [[entity]]).

struct Country {
    name: &'static str,
    capital: &'static str,
}

const COUNTRIES: &[Country] = &[
    Country {
        name: "النيجر",
        capital: "نيامي",
    },
    Country {
        name: "مالي",
        capital: "باماكو",
    },
    Country {
        name: "بوركينا فاسو",
        capital: "واغادوغو",
    },
    Country {
        name: "تشاد",
        capital: "إنجامينا",
    },
    Country {
        name: "السنغال",
        capital: "داكار",
    },
    Country {
        name: "نيجيريا",
        capital: "أبوجا",
    },
    Country {
        name: "غينيا",
        capital: "كوناكري",
    },
    Country {
        name: "الكاميرون",
        capital: "ياوندي",
    },
    Country {
        name: "السودان",
        capital: "الخرطوم",
    },
    Country {
        name: "الصومال",
        capital: "مقديشو",
    },
    Country {
        name: "موريتانيا",
        capital: "نواكشوط",
    },
    Country {
        name: "أفريقيا الوسطى",
        capital: "بانغي",
    },
    Country {
        name: "ساحل العاج",
        capital: "أبيدجان",
    },
    Country {
        name: "بنين",
        capital: "كوتونو",
    },
    Country {
        name: "توغو",
        capital: "لومي",
    },
    Country {
        name: "غانا",
        capital: "أكرا",
    },
];

struct Power {
    /// The country, as a place the rules know.
    name: &'static str,
    /// The adjective after جندي, as a subject the rules know.
    adjective: &'static str,
}

const POWERS: &[Power] = &[
    Power {
        name: "روسيا",
        adjective: "روسي",
    },
    Power {
        name: "فرنسا",
        adjective: "فرنسي",
    },
    Power {
        name: "الولايات المتحدة",
        adjective: "أمريكي",
    },
    Power {
        name: "الصين",
        adjective: "صيني",
    },
    Power {
        name: "تركيا",
        adjective: "تركي",
    },
    Power {
        name: "ألمانيا",
        adjective: "ألماني",
    },
    Power {
        name: "إيطاليا",
        adjective: "إيطالي",
    },
];

struct Person {
    id: &'static str,
    /// Listed aliases; the first is the base spelling.
    aliases: &'static [&'static str],
}

const PERSONS: &[Person] = &[
    Person {
        id: "tiani",
        aliases: &["عبد الرحمن تياني", "عبد الرحمن تشياني", "تياني", "تشياني"],
    },
    Person {
        id: "yevkurov",
        aliases: &["يونس بك يفكوروف", "يونس بيك إفكوروف", "إفكوروف", "يفكوروف"],
    },
    Person {
        id: "salifou_mody",
        aliases: &["ساليفو مودي", "سالفو مودي"],
    },
    Person {
        id: "bazoum",
        aliases: &["محمد بازوم", "بازوم"],
    },
    Person {
        id: "putin",
        aliases: &["فلاديمير بوتين", "بوتين"],
    },
    Person {
        id: "goita",
        aliases: &["آسيمي غويتا", "عاصمي غويتا", "غويتا"],
    },
    Person {
        id: "toumba",
        aliases: &["محمد تومبا", "تومبا"],
    },
    Person {
        id: "sadio_camara",
        aliases: &["ساديو كامارا", "كامارا"],
    },
];

const ROLES: &[&str] = &[
    "وزير الدفاع",
    "وزير الخارجية",
    "رئيس الوزراء",
    "قائد الجيش",
    "رئيس المجلس العسكري",
];

/// (name, file-name slug). Outlet names appear only in front matter.
const OUTLETS: &[(&str, &str)] = &[
    ("وكالة الساحل للأنباء", "sahel-news"),
    ("صحيفة الاتحاد", "alittihad"),
    ("العربية", "alarabiya"),
    ("RT Arabic", "rt-arabic"),
    ("الجزيرة نت", "aljazeera"),
    ("سكاي نيوز عربية", "skynews-arabia"),
    ("فرانس 24", "france24"),
    ("بي بي سي عربي", "bbc-arabic"),
    ("الشرق الأوسط", "asharq-alawsat"),
    ("القدس العربي", "alquds-alarabi"),
    ("العربي الجديد", "alaraby"),
    ("الأهرام", "ahram"),
    ("الخليج", "alkhaleej"),
    ("البيان", "albayan"),
    ("الشروق", "shorouk"),
    ("هسبريس", "hespress"),
    ("الأيام", "alayam"),
    ("النهار", "annahar"),
    ("الرأي", "alrai"),
    ("الغد", "alghad"),
    ("الوطن", "alwatan"),
    ("عكاظ", "okaz"),
    ("المصري اليوم", "almasryalyoum"),
    ("اليوم السابع", "youm7"),
    ("الشرق", "alsharq"),
    ("الدستور", "addustour"),
    ("الصباح", "assabah"),
    ("الخبر", "elkhabar"),
    ("الحرة", "alhurra"),
    ("إرم نيوز", "eremnews"),
    ("عربي 21", "arabi21"),
    ("الأناضول", "anadolu"),
    ("سبوتنيك عربي", "sputnik-arabic"),
    ("يورونيوز عربي", "euronews-arabic"),
    ("دويتشه فيله عربية", "dw-arabic"),
    ("العين الإخبارية", "alain"),
    ("المدن", "almodon"),
    ("رأي اليوم", "raialyoum"),
    ("الميادين", "almayadeen"),
    ("الوسط", "alwasat"),
    ("صحراء ميديا", "saharamedias"),
    ("الأخبار", "alakhbar"),
    ("موريتانيا الآن", "mauritanie-now"),
    ("تشاد اليوم", "tchad-today"),
    ("صوت الساحل", "sahel-voice"),
    ("أفريقيا برس", "africa-press"),
    ("نبض أفريقيا", "africa-pulse"),
    ("المرصد الأفريقي", "african-observer"),
    ("الأنباء", "alanba"),
    ("القبس", "alqabas"),
    ("الجريدة", "aljarida"),
    ("السفير العربي", "assafir"),
    ("الحياة", "alhayat"),
    ("الاقتصادية", "aleqt"),
    ("الوفد", "alwafd"),
    ("البوابة", "albawaba"),
    ("الصحيفة", "assahifa"),
    ("المشهد", "almashhad"),
    ("الخليج أونلاين", "alkhaleej-online"),
    ("الاستقلال", "alistiqlal"),
];

/// How a confuser differs from its fact: the place or the foreign power.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vary {
    Place,
    Power,
    Never,
}

/// Which foreign power a template speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Main,
    Second,
}

/// A fact template. Slots: `{V}` the value, `{C}` country, `{CAP}` capital, `{P}` power
/// (a place), `{PA}` its adjective (a troops subject), `{ROLE}` a role. Phrasing 0 is the
/// wire sentence; the others are paraphrases. With `Vary::Place` every phrasing names
/// the place, with `Vary::Power` the power, so a confuser always differs in what
/// compare's `align.distinguish` lexicon or troop subjects see.
struct Template {
    id: &'static str,
    kind: Kind,
    vary: Vary,
    who: Who,
    phrasings: &'static [&'static str],
}

const TEMPLATES: &[Template] = &[
    Template {
        id: "troops_deploy",
        kind: Kind::Troops,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "وأرسلت {P} {V} جندي إلى {C} في إطار اتفاق التعاون العسكري بين البلدين.",
            "وأفادت مصادر مطلعة بأن {P} نشرت {V} جندي في {C} بموجب الاتفاق العسكري الجديد.",
            "ووصل {V} جندي {PA} إلى {C} تنفيذا لاتفاق التعاون العسكري.",
            "وتقول مصادر عسكرية إن {V} جندي {PA} انتشروا في {C} ضمن الاتفاق العسكري.",
        ],
    },
    Template {
        id: "troops_withdraw",
        kind: Kind::Troops,
        vary: Vary::Power,
        who: Who::Second,
        phrasings: &[
            "وسحبت {P} {V} جندي من {C} خلال الأسابيع الأخيرة.",
            "وغادر {V} جندي {PA} أراضي {C} بعد انتهاء مهمتهم.",
            "وأكملت {P} سحب {V} جندي من قواعدها في {C}.",
        ],
    },
    Template {
        id: "people_killed",
        kind: Kind::People,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "وأسفر الهجوم على قاعدة عسكرية في شمال {C} عن مقتل {V} مدنيا.",
            "وقتل {V} مدنيا في الهجوم الذي استهدف قاعدة عسكرية شمال {C}.",
            "وأعلنت السلطات في {C} مقتل {V} مدنيا في هجوم على قاعدة عسكرية بالشمال.",
        ],
    },
    Template {
        id: "people_displaced",
        kind: Kind::People,
        vary: Vary::Never,
        who: Who::Main,
        phrasings: &[
            "وأجبرت المعارك {V} شخص على النزوح من منازلهم.",
            "ونزح {V} شخص من قراهم هربا من المعارك.",
            "وتقول وكالات الإغاثة إن المعارك دفعت {V} شخص إلى النزوح.",
        ],
    },
    Template {
        id: "people_protest",
        kind: Kind::People,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "وتظاهر {V} شخص في {CAP} للمطالبة برحيل القوات الأجنبية.",
            "وخرج {V} متظاهر إلى شوارع {CAP} مطالبين برحيل القوات الأجنبية.",
            "واحتشد {V} شخص وسط {CAP} احتجاجا على وجود القوات الأجنبية.",
        ],
    },
    Template {
        id: "money_aid",
        kind: Kind::Money,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "وتعهدت {P} بتقديم {V} مساعدات إلى {C} لدعم الجيش.",
            "وأعلنت {P} عن حزمة مساعدات بقيمة {V} لصالح {C}.",
            "وستحصل {C} على مساعدات من {P} تبلغ قيمتها {V}.",
        ],
    },
    Template {
        id: "money_contract",
        kind: Kind::Money,
        vary: Vary::Power,
        who: Who::Main,
        phrasings: &[
            "ووقعت {C} مع {P} صفقة أسلحة بقيمة {V}.",
            "وتبلغ قيمة صفقة الأسلحة الموقعة بين {C} و {P} {V}.",
            "وأبرمت {P} صفقة لبيع أسلحة إلى {C} قيمتها {V}.",
        ],
    },
    Template {
        id: "percent_fuel",
        kind: Kind::Percent,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "وارتفعت أسعار الوقود في {C} بنسبة {V} منذ بدء الأزمة.",
            "وزادت أسعار الوقود بنسبة {V} في {C} منذ اندلاع الأزمة.",
            "وشهدت {C} زيادة في أسعار الوقود بلغت {V} منذ بداية الأزمة.",
        ],
    },
    Template {
        id: "percent_need",
        kind: Kind::Percent,
        vary: Vary::Never,
        who: Who::Main,
        phrasings: &[
            "وتقدر منظمات الإغاثة أن {V} من السكان بحاجة إلى مساعدات إنسانية.",
            "ويحتاج {V} من سكان البلاد إلى مساعدات إنسانية عاجلة.",
            "وبحسب منظمات الإغاثة فإن {V} من السكان يعتمدون على المساعدات الإنسانية.",
        ],
    },
    Template {
        id: "date_arrival",
        kind: Kind::Date,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "ووصلت الدفعة الأولى من القوات إلى {CAP} {V}.",
            "وحطت أولى طائرات النقل العسكري في مطار {CAP} {V}.",
            "وبدأ انتشار القوات في {CAP} {V} بحسب مصادر محلية.",
        ],
    },
    Template {
        id: "date_signing",
        kind: Kind::Date,
        vary: Vary::Power,
        who: Who::Main,
        phrasings: &[
            "ووقعت {C} اتفاقية التعاون العسكري مع {P} {V}.",
            "وتم توقيع اتفاقية التعاون العسكري بين {C} و {P} {V}.",
            "وأبرمت {P} اتفاقية التعاون العسكري مع {C} {V} بعد مفاوضات طويلة.",
        ],
    },
    Template {
        id: "person_delegation",
        kind: Kind::Person,
        vary: Vary::Place,
        who: Who::Main,
        phrasings: &[
            "وترأس وفد {C} إلى المحادثات {ROLE} {V}.",
            "وقاد {ROLE} {V} وفد {C} خلال المحادثات.",
            "وكان على رأس وفد {C} في المحادثات {ROLE} {V}.",
        ],
    },
    Template {
        id: "person_announce",
        kind: Kind::Person,
        vary: Vary::Never,
        who: Who::Main,
        phrasings: &[
            "وأعلن القرار {ROLE} {V} في خطاب متلفز.",
            "وجاء الإعلان على لسان {ROLE} {V} في كلمة متلفزة.",
            "وأذاع {ROLE} {V} القرار في كلمة بثها التلفزيون الرسمي.",
        ],
    },
];

const TITLES: &[&str] = &[
    "{P} تعزز حضورها العسكري في {C}",
    "تطورات جديدة في {C} بعد الاتفاق العسكري مع {P}",
    "{C}: قوات {PA}ة تصل إلى {CAP}",
    "شراكة عسكرية جديدة بين {C} و {P}",
    "{C} تطوي صفحة وتفتح أخرى مع {P}",
];

// Filler: sentences without any number, date or name, composed from parts.
const OPENERS: &[&str] = &[
    "ويرى محللون أن",
    "ويقول مراقبون إن",
    "وتشير تقارير محلية إلى أن",
    "ويؤكد دبلوماسيون غربيون أن",
    "وتعتقد أوساط سياسية أن",
    "ويعتبر خبراء في الشؤون الأمنية أن",
    "ويرجح متابعون للملف أن",
    "وتفيد مصادر ميدانية بأن",
    "ويحذر ناشطون حقوقيون من أن",
    "ويلفت باحثون إلى أن",
    "ويبدو أن",
    "ومن المرجح أن",
    "وتؤكد منظمات إنسانية أن",
    "ويقول سكان محليون إن",
];

const CLAUSES: &[&str] = &[
    "الوضع الأمني في المنطقة لا يزال هشا",
    "التحولات الأخيرة تعكس تغيرا عميقا في موازين القوى الإقليمية",
    "الجماعات المسلحة تستغل الفراغ الأمني لتوسيع نفوذها",
    "الأزمة الاقتصادية تزيد من معاناة السكان في المناطق الريفية",
    "الحكومة الانتقالية تسعى إلى تنويع شركائها الدوليين",
    "الخطاب الرسمي يركز على السيادة الوطنية ورفض التدخل الخارجي",
    "العلاقات مع الشركاء الغربيين تمر بمرحلة فتور غير مسبوقة",
    "المساعدات الإنسانية لا تصل بانتظام إلى المناطق المتضررة",
    "الطرق الرئيسية أصبحت غير آمنة بسبب الكمائن المتكررة",
    "المجتمع الدولي يتابع التطورات بقلق متزايد",
    "الحوار السياسي الداخلي متعثر منذ فترة طويلة",
    "الاحتجاجات الشعبية تعكس حالة من الاستياء المتراكم",
    "أسعار المواد الغذائية شهدت ارتفاعا ملحوظا في الأسواق المحلية",
    "الشراكة الجديدة قد تعيد رسم خريطة التحالفات في المنطقة",
    "القوات المحلية تفتقر إلى التجهيزات اللازمة لمواجهة التهديدات",
    "المدارس أغلقت أبوابها في عدد من القرى الحدودية",
    "التنافس بين القوى الكبرى على القارة يتصاعد بشكل واضح",
    "الانتخابات المؤجلة تثير تساؤلات حول مستقبل المرحلة الانتقالية",
    "القيود على وسائل الإعلام تضيق هامش حرية التعبير",
    "التعاون الأمني بين دول الجوار يبقى محدودا",
    "المزارعين يواجهون صعوبات كبيرة في الوصول إلى أراضيهم",
    "تغير المناخ يفاقم التوترات بين الرعاة والمزارعين",
    "الثقة بين السلطات والسكان تراجعت في الآونة الأخيرة",
    "العقوبات الاقتصادية أثرت على حركة التجارة عبر الحدود",
    "شبكات التهريب تنشط على طول الحدود الصحراوية",
    "الأوضاع الصحية تتدهور في مخيمات النازحين",
    "المفاوضات تسير ببطء رغم الضغوط الدولية",
    "الخلافات حول تقاسم الثروات لم تحسم بعد",
    "حضور الدولة ضعيف في المناطق النائية",
    "الرأي العام منقسم حول جدوى التحالفات الجديدة",
];

const ENDINGS: &[&str] = &[
    "",
    "، بحسب ما نقلته وسائل إعلام محلية",
    "، في ظل غياب حلول سياسية واضحة",
    "، وفق ما يراه مراقبون",
    "، وهو ما يثير مخاوف جدية",
    "، في وقت تتزايد فيه الضغوط على السلطات",
    "، على حد تعبيرهم",
    "، دون أن تتضح الصورة بشكل كامل",
];

const STANDALONE: &[&str] = &[
    "ولم يصدر أي تعليق رسمي على هذه المعلومات.",
    "وتعد المنطقة من أفقر مناطق العالم وأكثرها هشاشة.",
    "ولم تتمكن الوكالة من التحقق من هذه الأرقام بشكل مستقل.",
    "وتتهم السلطات أطرافا خارجية بدعم الجماعات المسلحة.",
    "ويأتي ذلك في سياق إقليمي بالغ التعقيد.",
    "وتنفي الحكومة باستمرار وجود أي انتهاكات لحقوق الإنسان.",
    "ودعت منظمات حقوقية إلى فتح تحقيق مستقل في الأحداث.",
    "وتبقى الأوضاع الإنسانية مصدر قلق كبير للمنظمات الدولية.",
    "وشهدت العاصمة انتشارا أمنيا مكثفا في محيط المباني الحكومية.",
    "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.",
    "وأثار القرار ردود فعل متباينة في الأوساط السياسية.",
    "ويطالب المعارضون بجدول زمني واضح لعودة الحكم المدني.",
    "ورحبت أوساط شعبية بالخطوة واعتبرتها انتصارا للسيادة.",
    "وتواصل السلطات حملة أمنية واسعة في المناطق الحدودية.",
    "وأغلقت المحلات التجارية أبوابها في عدد من الأحياء.",
    "وتتابع العواصم الغربية هذه التطورات عن كثب.",
    "وكانت العلاقات بين البلدين قد شهدت تقاربا لافتا في الفترة الأخيرة.",
    "ويرى منتقدون أن الاتفاق يفتقر إلى الشفافية.",
    "وتعهدت السلطات بمواصلة مكافحة الإرهاب حتى استعادة الأمن.",
    "وأكدت الحكومة أن الاتفاق لا يمس سيادة البلاد.",
];

/// Headlines of unrelated stories for boilerplate tails; `{n}` and `{m}` take numbers.
const UNRELATED: &[&str] = &[
    "مقتل {n} شخصا في حادث سير على طريق سريع في القاهرة",
    "البنك الدولي يقرض مصر {m} مليون دولار لدعم الموازنة",
    "ارتفاع معدل التضخم في تركيا إلى {n}%",
    "إجلاء {n} شخص بسبب الفيضانات في شرق ليبيا",
    "وصول {n} جندي إضافي إلى قاعدة عسكرية في الخليج",
    "توقيع اتفاقية تجارية جديدة في {d} مارس",
    "إيران تفرج عن {n} سجينا بمناسبة العيد",
];

const MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
/// The Levantine series. `آب` alone is no month in the shipped rules (only after a
/// slash), so August is written only as `أغسطس/آب`.
const MONTHS_LEVANT: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];
const WEEKDAYS: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];
const APPROX: &[&str] = &["نحو", "حوالي", "قرابة", "زهاء"];

// ---------------------------------------------------------------------------------------
// Numbers as Arabic words (forms the shipped number grammar reads).

const UNITS: [&str; 10] = [
    "",
    "واحد",
    "اثنان",
    "ثلاثة",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
];
const TENS: [&str; 10] = [
    "",
    "عشرة",
    "عشرون",
    "ثلاثون",
    "أربعون",
    "خمسون",
    "ستون",
    "سبعون",
    "ثمانون",
    "تسعون",
];
const HUNDREDS: [&str; 10] = [
    "",
    "مئة",
    "مئتان",
    "ثلاثمئة",
    "أربعمئة",
    "خمسمئة",
    "ستمئة",
    "سبعمئة",
    "ثمانمئة",
    "تسعمئة",
];

fn below_100(n: u64) -> String {
    match n {
        0 => String::new(),
        1..=9 => UNITS[n as usize].to_string(),
        10 => "عشرة".to_string(),
        11 => "أحد عشر".to_string(),
        12 => "اثنا عشر".to_string(),
        13..=19 => format!("{} عشر", UNITS[(n - 10) as usize]),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
        _ => format!("{} و{}", UNITS[(n % 10) as usize], TENS[(n / 10) as usize]),
    }
}

fn below_1000(n: u64) -> String {
    let (h, r) = (n / 100, n % 100);
    match (h, r) {
        (0, _) => below_100(r),
        (_, 0) => HUNDREDS[h as usize].to_string(),
        _ => format!("{} و{}", HUNDREDS[h as usize], below_100(r)),
    }
}

/// `n` in words: `ألف وأربعمئة وثمانون`; from a million on, digits in groups.
pub fn words(n: u64) -> String {
    if n >= 1_000_000 {
        return grouped(n);
    }
    let (t, r) = (n / 1000, n % 1000);
    let thousands = scaled(t, "ألف", "ألفان", "آلاف", "ألفا");
    match (thousands.is_empty(), r) {
        (true, _) => below_1000(r),
        (false, 0) => thousands,
        (false, _) => format!("{thousands} و{}", below_1000(r)),
    }
}

/// `m` millions in words: `مئة وعشرون مليونا`; from a billion on, digits in groups.
pub fn million_words(m: u64) -> String {
    if m >= 1000 {
        return grouped(m * 1_000_000);
    }
    scaled(m, "مليون", "مليونان", "ملايين", "مليونا")
}

/// `k` times a scale word: singular alone, dual, plural after 3–10, accusative after
/// 11–99, singular after hundreds.
fn scaled(k: u64, one: &str, two: &str, plural: &str, accusative: &str) -> String {
    match k {
        0 => String::new(),
        1 => one.to_string(),
        2 => two.to_string(),
        3..=10 => format!("{} {plural}", below_100(k)),
        11..=99 => format!("{} {accusative}", below_100(k)),
        _ if (3..=10).contains(&(k % 100)) => format!("{} {plural}", below_1000(k)),
        _ if k % 100 >= 11 => format!("{} {accusative}", below_1000(k)),
        _ => format!("{} {one}", below_1000(k)),
    }
}

/// ASCII digits and signs as Arabic-Indic: `38.4%` → `٣٨٫٤٪`.
pub fn indic(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            '%' => '٪',
            '.' => '٫',
            ',' => '٬',
            _ => c,
        })
        .collect()
}

/// `1480` → `1,480`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const ORDINALS: [&str; 10] = [
    "الأول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
    "العاشر",
];

/// A day of the month as an ordinal: `السادس والعشرين`.
fn ordinal_day(d: u32) -> String {
    let unit = |u: u32| {
        ORDINALS[(u - 1) as usize]
            .trim_start_matches("ال")
            .to_string()
    };
    match d {
        1..=10 => ORDINALS[(d - 1) as usize].to_string(),
        11 => "الحادي عشر".to_string(),
        12..=19 => format!("{} عشر", ORDINALS[(d - 11) as usize]),
        20 => "العشرين".to_string(),
        21 => "الحادي والعشرين".to_string(),
        22..=29 => format!("ال{} والعشرين", unit(d - 20)),
        30 => "الثلاثين".to_string(),
        _ => "الحادي والثلاثين".to_string(),
    }
}

fn day_month(d: NaiveDate) -> String {
    format!("{} {}", d.day(), MONTHS[d.month0() as usize])
}

fn weekday_name(d: NaiveDate) -> &'static str {
    WEEKDAYS[d.weekday().num_days_from_monday() as usize]
}

// ---------------------------------------------------------------------------------------
// Values and how a sentence writes them.

/// A fact's true value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    /// Troops or people: the exact count and a round figure within 3% of it.
    Count {
        exact: u64,
        round: u64,
    },
    /// Millions of a currency.
    Millions {
        exact: u64,
        round: u64,
        euro: bool,
    },
    /// Tenths of a percent.
    Percent {
        tenths: u64,
    },
    Day(NaiveDate),
    Person(usize),
}

/// The rendered value: (text put in the sentence, the substring recorded as `value`, norm).
struct Shown {
    slot: String,
    value: String,
    norm: String,
}

impl Shown {
    fn same(text: String, norm: String) -> Shown {
        Shown {
            slot: text.clone(),
            value: text,
            norm,
        }
    }
}

fn currency(euro: bool) -> &'static str {
    if euro {
        "يورو"
    } else {
        "دولار"
    }
}

fn percent_text(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

fn percent_norm(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Render `value` as one outlet writes it under `class`. `published` is the outlet's
/// publication date (weekdays resolve against it).
fn show(rng: &mut ChaCha8Rng, value: Value, class: Class, published: NaiveDate) -> Shown {
    match value {
        Value::Count { exact, round } => {
            let plain = exact.to_string();
            let norm = exact.to_string();
            match class {
                Class::Digits => Shown::same(indic(&plain), norm),
                Class::NumberFormat => {
                    let text = if exact >= 1000 && rng.random_bool(0.5) {
                        grouped(exact)
                    } else {
                        words(exact)
                    };
                    Shown::same(text, norm)
                }
                Class::Rounding => Shown::same(
                    format!("{} {round}", APPROX.choose(rng).copied().unwrap_or("نحو")),
                    round.to_string(),
                ),
                _ => Shown::same(plain, norm),
            }
        }
        Value::Millions { exact, round, euro } => {
            let cur = currency(euro);
            let norm = (exact * 1_000_000).to_string();
            match class {
                Class::Digits => {
                    Shown::same(format!("{} مليون {cur}", indic(&exact.to_string())), norm)
                }
                Class::NumberFormat => {
                    let text = if rng.random_bool(0.5) {
                        format!("{} {cur}", grouped(exact * 1_000_000))
                    } else {
                        format!("{} {cur}", million_words(exact))
                    };
                    Shown::same(text, norm)
                }
                Class::Rounding => Shown::same(
                    format!(
                        "{} {round} مليون {cur}",
                        APPROX.choose(rng).copied().unwrap_or("نحو")
                    ),
                    (round * 1_000_000).to_string(),
                ),
                _ => Shown::same(format!("{exact} مليون {cur}"), norm),
            }
        }
        Value::Percent { tenths } => {
            let norm = percent_norm(tenths);
            match class {
                Class::Digits => Shown::same(indic(&percent_text(tenths)), norm),
                Class::NumberFormat => {
                    let n = percent_norm(tenths);
                    let text = match rng.random_range(0..3) {
                        0 => format!("{n} في المئة"),
                        1 => format!("{n} بالمئة"),
                        _ => format!("{n}٪"),
                    };
                    Shown::same(text, norm)
                }
                Class::Rounding => {
                    let r = (tenths + 5) / 10;
                    Shown::same(
                        format!("{} {r}%", APPROX.choose(rng).copied().unwrap_or("نحو")),
                        r.to_string(),
                    )
                }
                _ => Shown::same(percent_text(tenths), norm),
            }
        }
        Value::Day(d) => {
            let (text, norm) = match class {
                Class::Digits => (indic(&day_month(d)), iso(d)),
                Class::NumberFormat => {
                    let m = d.month0() as usize;
                    let text = match rng.random_range(0..3) {
                        0 => format!("{} من {}", ordinal_day(d.day()), MONTHS[m]),
                        // آب alone is not read: August keeps the Gregorian name first.
                        1 if m == 7 => format!("{} {}/{}", d.day(), MONTHS[m], MONTHS_LEVANT[m]),
                        1 => format!("{} {}/{}", d.day(), MONTHS_LEVANT[m], MONTHS[m]),
                        _ if m == 7 => format!("{} {}/{}", d.day(), MONTHS[m], MONTHS_LEVANT[m]),
                        _ => format!("{} {}", d.day(), MONTHS_LEVANT[m]),
                    };
                    (text, iso(d))
                }
                Class::DateForm => {
                    let lag = (published - d).num_days();
                    if (0..=6).contains(&lag) && rng.random_bool(0.6) {
                        let w = weekday_name(d).to_string();
                        return Shown {
                            slot: format!("يوم {w}"),
                            value: w,
                            norm: iso(d),
                        };
                    }
                    (
                        MONTHS[d.month0() as usize].to_string(),
                        d.format("%Y-%m").to_string(),
                    )
                }
                _ => (day_month(d), iso(d)),
            };
            Shown {
                slot: format!("في {text}"),
                value: text,
                norm,
            }
        }
        Value::Person(p) => {
            let person = &PERSONS[p];
            let text = match class {
                Class::SpellingVariant => {
                    let i = rng.random_range(1..person.aliases.len());
                    person.aliases[i]
                }
                _ => person.aliases[0],
            };
            Shown::same(text.to_string(), person.id.to_string())
        }
    }
}

/// A count whose round figure is within 3% of it: (exact, round).
fn count(rng: &mut ChaCha8Rng, lo: u64, hi: u64) -> (u64, u64) {
    loop {
        let mag = 10u64.pow(rng.random_range(0..=4));
        let round = rng.random_range(10..=99u64) * mag;
        if round < lo || round > hi || round < 40 {
            continue;
        }
        let max = (round * 3 / 100).max(1);
        let delta = rng.random_range(1..=max);
        let exact = if rng.random_bool(0.5) {
            round + delta
        } else {
            round - delta
        };
        return (exact, round);
    }
}

/// A value far from `v`: 25–50% off either way, so no tolerance reconciles them.
fn far(rng: &mut ChaCha8Rng, v: u64) -> u64 {
    let f = if rng.random_bool(0.5) {
        rng.random_range(1.3..1.9)
    } else {
        rng.random_range(0.5..0.75)
    };
    ((v as f64) * f).round().max(1.0) as u64
}

fn fresh_value(rng: &mut ChaCha8Rng, kind: Kind, event: NaiveDate, template: &str) -> Value {
    match kind {
        Kind::Troops => {
            let (exact, round) = count(rng, 40, 9000);
            Value::Count { exact, round }
        }
        Kind::People => {
            let (exact, round) = count(rng, 40, 90000);
            Value::Count { exact, round }
        }
        Kind::Money => {
            let (exact, round) = count(rng, 40, 900);
            Value::Millions {
                exact,
                round,
                euro: rng.random_bool(0.3),
            }
        }
        Kind::Percent => Value::Percent {
            tenths: rng.random_range(120..=850),
        },
        Kind::Date => {
            let back = if template == "date_signing" {
                rng.random_range(7..=40)
            } else {
                rng.random_range(0..=2)
            };
            Value::Day(event - Duration::days(back))
        }
        Kind::Person => Value::Person(rng.random_range(0..PERSONS.len())),
    }
}

/// The value an outlet that got the fact wrong writes.
fn changed(rng: &mut ChaCha8Rng, v: Value, avoid_people: &[usize]) -> Value {
    match v {
        Value::Count { exact, .. } => {
            let e = far(rng, exact);
            Value::Count { exact: e, round: e }
        }
        Value::Millions { exact, euro, .. } => {
            let e = far(rng, exact);
            Value::Millions {
                exact: e,
                round: e,
                euro,
            }
        }
        Value::Percent { tenths } => Value::Percent {
            tenths: (far(rng, tenths / 10) * 10).max(10),
        },
        Value::Day(d) => {
            let k = rng.random_range(1..=6);
            let k = if rng.random_bool(0.5) { k } else { -k };
            Value::Day(d + Duration::days(k))
        }
        Value::Person(p) => {
            let others: Vec<usize> = (0..PERSONS.len())
                .filter(|&q| q != p && !avoid_people.contains(&q))
                .collect();
            Value::Person(
                others
                    .choose(rng)
                    .copied()
                    .unwrap_or((p + 1) % PERSONS.len()),
            )
        }
    }
}

/// Whether two values of one fact type are far enough apart to be told apart (confusers).
fn distinct(a: Value, b: Value) -> bool {
    let apart = |x: u64, y: u64| {
        let (lo, hi) = (x.min(y) as f64, x.max(y) as f64);
        hi >= lo * 1.3
    };
    match (a, b) {
        (Value::Count { exact: x, .. }, Value::Count { exact: y, .. }) => apart(x, y),
        (Value::Millions { exact: x, .. }, Value::Millions { exact: y, .. }) => apart(x, y),
        (Value::Percent { tenths: x }, Value::Percent { tenths: y }) => apart(x, y),
        (Value::Day(x), Value::Day(y)) => (x - y).num_days().abs() >= 3,
        (Value::Person(x), Value::Person(y)) => x != y,
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------
// Stories.

/// The expected outcome of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Every outlet compatible; `Class` is the harmless variation some outlets carry.
    Agree(Class),
    /// One or two outlets changed the value.
    Conflict,
    Single,
    /// A fact like the one at this index, about another place or power.
    Confuser(usize),
}

struct Fact {
    id: String,
    template: &'static Template,
    country: usize,
    power: usize,
    role: &'static str,
    value: Value,
    plan: Plan,
    phrasing: usize,
    /// (outlet index, class, value shown).
    rows: Vec<(usize, Class, Value)>,
}

/// One generated story: its articles (paths relative to `OUT/seeds`) and truth rows.
pub struct Story {
    pub id: String,
    pub articles: Vec<(String, String)>,
    pub truth: Vec<TruthRow>,
    pub facts: usize,
}

/// The id of story `index`: fixed width, so corpora of any size sort alike.
pub fn story_id(index: usize) -> String {
    format!("s{index:06}")
}

/// Generate story `index` of the corpus seeded with `seed`. Pure: the same arguments give
/// the same story whatever else is generated.
pub fn story(seed: u64, index: usize) -> Story {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let rng = &mut rng;
    let id = story_id(index);

    // The event.
    let mut countries: Vec<usize> = (0..COUNTRIES.len()).collect();
    countries.shuffle(rng);
    let (country, neighbour) = (countries[0], countries[1]);
    let mut powers: Vec<usize> = (0..POWERS.len()).collect();
    powers.shuffle(rng);
    let (power, power2, power3) = (powers[0], powers[1], powers[2]);
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let event = start + Duration::days(rng.random_range(0..3 * 365));

    // Outlets: most stories 2–8, a few 30+.
    let n_outlets = if rng.random_bool(0.04) {
        rng.random_range(30..=45)
    } else {
        const WEIGHTS: [u32; 7] = [30, 24, 18, 12, 8, 5, 3];
        let mut r = rng.random_range(0..WEIGHTS.iter().sum::<u32>());
        let mut n = 2;
        for w in WEIGHTS {
            if r < w {
                break;
            }
            r -= w;
            n += 1;
        }
        n
    };
    let mut outlets: Vec<usize> = (0..OUTLETS.len()).collect();
    outlets.shuffle(rng);
    outlets.truncate(n_outlets);
    outlets.sort_by_key(|&o| OUTLETS[o].1);
    let published: Vec<NaiveDate> = outlets
        .iter()
        .map(|_| event + Duration::days(rng.random_range(0..=4)))
        .collect();

    // Facts: distinct templates, then confusers of some of them.
    let n_facts = rng.random_range(6..=12usize);
    let n_confusers = match rng.random_range(0..10) {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    let mut templates: Vec<usize> = (0..TEMPLATES.len()).collect();
    templates.shuffle(rng);
    templates.truncate(n_facts - n_confusers);
    let mut people_used: Vec<usize> = Vec::new();
    let mut roles_used: Vec<&'static str> = Vec::new();
    let mut facts: Vec<Fact> = Vec::new();
    for &t in &templates {
        let template = &TEMPLATES[t];
        let mut value = fresh_value(rng, template.kind, event, template.id);
        if let Value::Person(_) = value {
            let free: Vec<usize> = (0..PERSONS.len())
                .filter(|p| !people_used.contains(p))
                .collect();
            let p = free.choose(rng).copied().unwrap_or(0);
            people_used.push(p);
            value = Value::Person(p);
        }
        let mut role = ROLES.choose(rng).copied().unwrap_or(ROLES[0]);
        if template.kind == Kind::Person {
            // In one story a role is held by one person: two people named for the same
            // role are a conflict, not two facts. Taking the next free role draws
            // nothing more, so only the clashing fact's role changes.
            if let Some(at) = ROLES.iter().position(|r| *r == role) {
                if let Some(free) = (0..ROLES.len())
                    .map(|k| ROLES[(at + k) % ROLES.len()])
                    .find(|r| !roles_used.contains(r))
                {
                    role = free;
                }
            }
            roles_used.push(role);
        }
        facts.push(Fact {
            id: String::new(),
            template,
            country,
            power: if template.who == Who::Main {
                power
            } else {
                power2
            },
            role,
            value,
            plan: Plan::Conflict,
            phrasing: 0,
            rows: Vec::new(),
        });
    }
    let base_count = facts.len();
    let candidates: Vec<usize> = (0..base_count)
        .filter(|&i| facts[i].template.vary != Vary::Never)
        .collect();
    let mut confused = candidates;
    confused.shuffle(rng);
    confused.truncate(n_confusers);
    confused.sort_unstable();
    for &of in &confused {
        let base = &facts[of];
        let template = base.template;
        let (c, p) = match template.vary {
            Vary::Place => (neighbour, base.power),
            _ => (base.country, power3),
        };
        let mut value = fresh_value(rng, template.kind, event, template.id);
        for _ in 0..100 {
            if distinct(value, base.value) {
                break;
            }
            value = fresh_value(rng, template.kind, event, template.id);
        }
        if let Value::Person(_) = value {
            let free: Vec<usize> = (0..PERSONS.len())
                .filter(|p| !people_used.contains(p))
                .collect();
            let q = free.choose(rng).copied().unwrap_or(0);
            people_used.push(q);
            value = Value::Person(q);
        }
        let role = base.role;
        facts.push(Fact {
            id: String::new(),
            template,
            country: c,
            power: p,
            role,
            value,
            plan: Plan::Confuser(of),
            phrasing: 0,
            rows: Vec::new(),
        });
    }
    // Facts in template order, confusers right after their fact: ids read naturally.
    let mut order: Vec<usize> = (0..facts.len()).collect();
    order.sort_by_key(|&i| match facts[i].plan {
        Plan::Confuser(of) => (of, 1),
        _ => (i, 0),
    });
    let mut slot_of = vec![0; facts.len()];
    for (new, &old) in order.iter().enumerate() {
        slot_of[old] = new;
    }
    let mut facts: Vec<Fact> = {
        let mut taken: Vec<Option<Fact>> = facts.into_iter().map(Some).collect();
        order
            .iter()
            .filter_map(|&i| taken[i].take())
            .collect::<Vec<_>>()
    };
    for (i, f) in facts.iter_mut().enumerate() {
        f.id = format!("{id}-f{:02}", i + 1);
        if let Plan::Confuser(of) = f.plan {
            f.plan = Plan::Confuser(slot_of[of]);
        }
    }

    // Plans: a single-outlet fact now and then, conflicts, harmless variations.
    let confused_now: Vec<usize> = facts
        .iter()
        .filter_map(|f| match f.plan {
            Plan::Confuser(of) => Some(of),
            _ => None,
        })
        .collect();
    let plain: Vec<usize> = (0..facts.len())
        .filter(|&i| !matches!(facts[i].plan, Plan::Confuser(_)) && !confused_now.contains(&i))
        .collect();
    let single = if rng.random_bool(0.6) {
        plain.choose(rng).copied()
    } else {
        None
    };
    for (i, f) in facts.iter_mut().enumerate() {
        if matches!(f.plan, Plan::Confuser(_)) {
            continue;
        }
        f.plan = if Some(i) == single {
            Plan::Single
        } else if rng.random_bool(0.3) {
            Plan::Conflict
        } else {
            let classes = f.template.kind.harmless();
            let total: u32 = classes.iter().map(|c| c.1).sum();
            let mut r = rng.random_range(0..total);
            let mut pick = Class::None;
            for &(c, w) in classes {
                if r < w {
                    pick = c;
                    break;
                }
                r -= w;
            }
            if pick == Class::Rounding {
                // A rounded percentage needs a decimal to round.
                if let Value::Percent { tenths } = f.value {
                    if tenths.is_multiple_of(10) {
                        f.value = Value::Percent { tenths: tenths + 3 };
                    }
                }
            }
            Plan::Agree(pick)
        };
        f.phrasing = rng.random_range(0..f.template.phrasings.len());
    }

    // Rows: which outlets report each fact, and how.
    for f in &mut facts {
        let mut who: Vec<usize> = if f.plan == Plan::Single {
            vec![rng.random_range(0..outlets.len())]
        } else {
            let mut w: Vec<usize> = (0..outlets.len())
                .filter(|_| rng.random_bool(0.8))
                .collect();
            while w.len() < 2 {
                let o = rng.random_range(0..outlets.len());
                if !w.contains(&o) {
                    w.push(o);
                }
            }
            w.sort_unstable();
            w
        };
        who.dedup();
        let n = who.len();
        let mut marked: Vec<usize> = (0..n).collect();
        marked.shuffle(rng);
        let varied = match f.plan {
            Plan::Conflict if n >= 5 && rng.random_bool(0.3) => 2,
            Plan::Conflict => 1,
            Plan::Agree(_) => rng.random_range(1..n),
            _ => 0,
        };
        marked.truncate(varied);
        let other = changed(rng, f.value, &people_used);
        for (k, &o) in who.iter().enumerate() {
            let is_marked = marked.contains(&k);
            let (class, value) = match f.plan {
                Plan::Single => (Class::SingleOutlet, f.value),
                Plan::Confuser(_) => (Class::Confuser, f.value),
                Plan::Conflict if is_marked => (f.template.kind.changed(), other),
                Plan::Agree(c) if is_marked => (c, f.value),
                _ => (Class::None, f.value),
            };
            f.rows.push((o, class, value));
        }
    }

    // Articles.
    let n_facts = facts.len();
    let mut truth: Vec<(usize, usize, TruthRow)> = Vec::new();
    let mut articles = Vec::with_capacity(outlets.len());
    let title_pattern = TITLES.choose(rng).copied().unwrap_or(TITLES[0]);
    for (oi, &o) in outlets.iter().enumerate() {
        let (outlet, slug) = OUTLETS[o];
        let doc = format!("{id}-{slug}");
        let path = format!("{id}/{doc}.md");
        let pub_date = published[oi];
        // This outlet's fact sentences.
        let mut items: Vec<Item> = Vec::new();
        let mut tail_echoes: Vec<String> = Vec::new();
        for (fi, f) in facts.iter().enumerate() {
            for (ri, &(ro, class, value)) in f.rows.iter().enumerate() {
                if ro != oi {
                    continue;
                }
                let shown = show(rng, value, class, pub_date);
                let phrasing = if class == Class::Paraphrase {
                    let k = rng.random_range(1..f.template.phrasings.len());
                    (f.phrasing + k) % f.template.phrasings.len()
                } else {
                    f.phrasing
                };
                let sentence = fill(f, phrasing, &shown.slot);
                if class == Class::Boilerplate {
                    // The related-stories tail repeats the fact with another value.
                    let echo = changed(rng, f.value, &[]);
                    let s = show(rng, echo, Class::None, pub_date);
                    tail_echoes.push(fill(f, 0, &s.slot).trim_end_matches('.').to_string());
                }
                items.push(Item::Fact {
                    text: sentence,
                    fact: fi,
                    row: ri,
                    shown,
                    class,
                });
            }
        }
        let n_sentences = rng.random_range(20..=40usize);
        let fillers = n_sentences.saturating_sub(items.len()).max(8);
        for _ in 0..fillers {
            items.push(Item::Filler(filler(rng)));
        }
        items.shuffle(rng);

        let mut lines: Vec<String> = vec![
            "+++".into(),
            format!(
                "title = {}",
                toml_string(&fill_story(title_pattern, country, power))
            ),
            format!("outlet = {}", toml_string(outlet)),
            format!("published = {}", iso(pub_date)),
            format!("story = {}", toml_string(&id)),
            "+++".into(),
        ];
        if rng.random_bool(0.5) {
            lines.push(String::new());
            lines.push(format!("{} - (وكالات)", COUNTRIES[country].capital));
        }
        let mut para: Vec<String> = Vec::new();
        let mut para_has_fact = false;
        let mut target = rng.random_range(1..=3usize);
        let mut pending: Vec<(usize, usize, Shown, Class)> = Vec::new();
        let flush = |lines: &mut Vec<String>,
                     para: &mut Vec<String>,
                     pending: &mut Vec<(usize, usize, Shown, Class)>,
                     truth: &mut Vec<(usize, usize, TruthRow)>| {
            if para.is_empty() {
                return;
            }
            lines.push(String::new());
            lines.push(para.join(" "));
            let line = lines.len();
            for (fi, ri, shown, class) in pending.drain(..) {
                let f = &facts[fi];
                truth.push((
                    fi,
                    ri,
                    TruthRow {
                        story: id.clone(),
                        fact: f.id.clone(),
                        kind: f.template.kind.as_str().to_string(),
                        outlet: outlet.to_string(),
                        doc: doc.clone(),
                        path: path.clone(),
                        line,
                        value: shown.value,
                        norm: shown.norm,
                        class: class.as_str().to_string(),
                        expect: match f.plan {
                            Plan::Conflict => "conflict",
                            Plan::Single => "single",
                            _ => "agree",
                        }
                        .to_string(),
                        confuser_of: match f.plan {
                            Plan::Confuser(of) => Some(facts[of].id.clone()),
                            _ => None,
                        },
                    },
                ));
            }
            para.clear();
        };
        for item in items {
            let is_fact = matches!(item, Item::Fact { .. });
            if para.len() >= target || (is_fact && para_has_fact) {
                flush(&mut lines, &mut para, &mut pending, &mut truth);
                para_has_fact = false;
                target = rng.random_range(1..=3);
            }
            match item {
                Item::Filler(s) => para.push(s),
                Item::Fact {
                    text,
                    fact,
                    row,
                    shown,
                    class,
                } => {
                    para.push(text);
                    para_has_fact = true;
                    pending.push((fact, row, shown, class));
                }
            }
        }
        flush(&mut lines, &mut para, &mut pending, &mut truth);
        tail(rng, &mut lines, &tail_echoes, country, power);
        let mut text = lines.join("\n");
        text.push('\n');
        articles.push((path, text));
    }
    truth.sort_by_key(|t| (t.0, t.1));
    Story {
        id,
        articles,
        truth: truth.into_iter().map(|t| t.2).collect(),
        facts: n_facts,
    }
}

enum Item {
    Filler(String),
    Fact {
        text: String,
        fact: usize,
        row: usize,
        shown: Shown,
        class: Class,
    },
}

fn fill(f: &Fact, phrasing: usize, value: &str) -> String {
    let c = &COUNTRIES[f.country];
    let p = &POWERS[f.power];
    f.template.phrasings[phrasing]
        .replace("{V}", value)
        .replace("{CAP}", c.capital)
        .replace("{C}", c.name)
        .replace("{PA}", p.adjective)
        .replace("{P}", p.name)
        .replace("{ROLE}", f.role)
}

fn fill_story(pattern: &str, country: usize, power: usize) -> String {
    let c = &COUNTRIES[country];
    let p = &POWERS[power];
    pattern
        .replace("{CAP}", c.capital)
        .replace("{C}", c.name)
        .replace("{PA}", p.adjective)
        .replace("{P}", p.name)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn filler(rng: &mut ChaCha8Rng) -> String {
    if rng.random_bool(0.2) {
        return STANDALONE.choose(rng).copied().unwrap_or("").to_string();
    }
    format!(
        "{} {}{}.",
        OPENERS.choose(rng).copied().unwrap_or(""),
        CLAUSES.choose(rng).copied().unwrap_or(""),
        ENDINGS.choose(rng).copied().unwrap_or("")
    )
}

/// Every filler sentence the generator can write, for tests.
pub fn all_fillers() -> Vec<String> {
    let mut out: Vec<String> = STANDALONE.iter().map(|s| s.to_string()).collect();
    for o in OPENERS {
        for c in CLAUSES {
            for e in ENDINGS {
                out.push(format!("{o} {c}{e}."));
            }
        }
    }
    out
}

/// A boilerplate tail the shipped rules set aside: a keyword line (dropped) and a
/// related-stories section (cut), with numbers that must never become claims.
fn tail(
    rng: &mut ChaCha8Rng,
    lines: &mut Vec<String>,
    echoes: &[String],
    country: usize,
    power: usize,
) {
    let keywords = rng.random_bool(0.5);
    let related = !echoes.is_empty() || rng.random_bool(0.6);
    if keywords {
        lines.push(String::new());
        lines.push(format!(
            "كلمات دلالية: {}، {}، الساحل، {} جندي",
            COUNTRIES[country].name,
            POWERS[power].name,
            rng.random_range(100..5000)
        ));
    }
    if related {
        lines.push(String::new());
        lines.push(
            if rng.random_bool(0.7) {
                "إقرأ أيضاً:"
            } else {
                "مقالات ذات صلة"
            }
            .to_string(),
        );
        let mut heads: Vec<String> = echoes.to_vec();
        for _ in 0..rng.random_range(1..=3) {
            let h = UNRELATED.choose(rng).copied().unwrap_or(UNRELATED[0]);
            heads.push(
                h.replace("{n}", &rng.random_range(12..3000u32).to_string())
                    .replace("{m}", &rng.random_range(50..900u32).to_string())
                    .replace("{d}", &rng.random_range(1..=28u32).to_string()),
            );
        }
        heads.shuffle(rng);
        for h in heads {
            lines.push(String::new());
            lines.push(h);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Writing a corpus.

/// Stories generated and written together before their truth rows are appended.
const CHUNK: usize = 512;

/// The file that marks a folder as holding a corpus `compare gen` wrote: only then may
/// `--force` replace its `seeds/` and `truth.jsonl`.
pub const MARKER: &str = ".compare-gen";

/// The most stories one corpus may have: about five million articles, 25 GB.
pub const MAX_STORIES: usize = 1_000_000;

/// Check that `compare gen` may write into `out`: not the file system root, and where
/// `seeds/` or `truth.jsonl` already exists, only with `force`, only when `gen` wrote them
/// (the [`MARKER`] file beside them) and only when `seeds/` is a folder of its own, not a
/// symbolic link (replacing it would empty the folder it points to).
fn check_out(opts: &GenOptions, seeds: &Path, truth: &Path) -> Result<()> {
    let shown = opts.out.display();
    if !(1..=MAX_STORIES).contains(&opts.stories) {
        bail!(
            "--stories {} is out of range: a corpus has 1 to {MAX_STORIES} stories\n  = help: 20 000 stories make about 100 000 articles (500 MB)",
            opts.stories
        );
    }
    let root = std::fs::canonicalize(&opts.out).is_ok_and(|p| p.parent().is_none());
    if root {
        bail!("refusing to write a corpus to {shown}: it is the file system root\n  = help: pass --out with a folder of its own, such as bench/corpus");
    }
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    let Some(existing) = [seeds, truth].into_iter().find(|p| exists(p)) else {
        // A folder with files of its own that gen did not write (real articles, say) is
        // not mixed with a generated corpus: a build of it would read both.
        let foreign = std::fs::read_dir(&opts.out).is_ok_and(|mut d| d.next().is_some())
            && !opts.out.join(MARKER).is_file();
        if foreign {
            bail!(
                "refusing to write a corpus into {shown}: it holds files compare gen did not write (no {MARKER} file), which a build of it would mix with the generated articles\n  = help: pass --out with a new or empty folder"
            );
        }
        return Ok(());
    };
    if !opts.force {
        bail!(
            "{} already exists\n  = help: pass --force to replace it, or choose another --out",
            existing.display()
        );
    }
    if !opts.out.join(MARKER).is_file() {
        bail!(
            "refusing to replace {}: compare gen did not write it (no {MARKER} file in {shown}), so it may hold real articles\n  = help: choose another --out, or remove {} yourself if it is an old generated corpus",
            existing.display(),
            existing.display()
        );
    }
    if std::fs::symlink_metadata(seeds).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!(
            "refusing to replace {}: it is a symbolic link, and replacing it would empty the folder it points to\n  = help: choose another --out",
            seeds.display()
        );
    }
    Ok(())
}

/// `compare gen`: write `OUT/seeds/<story>/<story>-<outlet>.md` and `OUT/truth.jsonl`.
pub fn generate(opts: &GenOptions) -> Result<GenStats> {
    let seeds = opts.out.join("seeds");
    let truth_path = opts.out.join("truth.jsonl");
    check_out(opts, &seeds, &truth_path)?;
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    // Written first, so a run stopped halfway can still be replaced with --force.
    std::fs::write(
        opts.out.join(MARKER),
        "This folder holds a corpus written by `compare gen`: `compare gen --force` may replace its seeds/ and truth.jsonl.\n",
    )
    .with_context(|| format!("cannot write {}", opts.out.join(MARKER).display()))?;
    // Replaced in place: a file that already holds the bytes it would get is left alone
    // and what the new corpus lacks is removed afterwards, so regenerating the same corpus
    // creates and deletes nothing (deleting and recreating 100 000 files slows the file
    // system for minutes, and a benchmark run right after would measure that).
    if seeds.exists() && !seeds.is_dir() {
        std::fs::remove_file(&seeds)
            .with_context(|| format!("cannot remove {}", seeds.display()))?;
    }
    std::fs::create_dir_all(&seeds)
        .with_context(|| format!("cannot create {}", seeds.display()))?;
    let file = std::fs::File::create(&truth_path)
        .with_context(|| format!("cannot create {}", truth_path.display()))?;
    let mut truth = std::io::BufWriter::new(file);
    let mut stats = GenStats::default();
    let mut written: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let indices: Vec<usize> = (0..opts.stories).collect();
    for chunk in indices.chunks(CHUNK) {
        let done: Vec<Result<(String, GenStats, Vec<PathBuf>)>> = chunk
            .par_iter()
            .map(|&i| write_story(&seeds, opts.seed, i))
            .collect();
        for r in done {
            let (lines, s, paths) = r?;
            written.extend(paths);
            std::io::Write::write_all(&mut truth, lines.as_bytes())
                .with_context(|| format!("cannot write {}", truth_path.display()))?;
            stats.stories += s.stories;
            stats.articles += s.articles;
            stats.facts += s.facts;
            stats.rows += s.rows;
            stats.bytes += s.bytes;
        }
    }
    std::io::Write::flush(&mut truth)
        .with_context(|| format!("cannot write {}", truth_path.display()))?;
    remove_others(&seeds, &written)?;
    Ok(stats)
}

/// Remove every file under `dir` not in `keep`, and the folders left empty.
fn remove_others(dir: &Path, keep: &std::collections::HashSet<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", path.display()))?;
        if kind.is_dir() {
            remove_others(&path, keep)?;
            if std::fs::read_dir(&path)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false)
            {
                std::fs::remove_dir(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        } else if !keep.contains(&path) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}

/// Write one story's articles (each only when it does not already hold those bytes):
/// its truth rows, its counts and the files it consists of.
fn write_story(seeds: &Path, seed: u64, index: usize) -> Result<(String, GenStats, Vec<PathBuf>)> {
    let s = story(seed, index);
    let dir = seeds.join(&s.id);
    if dir.exists() && !dir.is_dir() {
        std::fs::remove_file(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut bytes = 0;
    let mut paths = Vec::with_capacity(s.articles.len());
    for (path, text) in &s.articles {
        let p = seeds.join(path);
        let same = std::fs::read(&p).is_ok_and(|old| old == text.as_bytes());
        if !same {
            std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
        }
        bytes += text.len() as u64;
        paths.push(p);
    }
    let mut lines = String::new();
    for row in &s.truth {
        // A struct of strings and numbers always serialises.
        let json = serde_json::to_string(row).unwrap_or_default();
        let _ = writeln!(lines, "{json}");
    }
    Ok((
        lines,
        GenStats {
            stories: 1,
            articles: s.articles.len(),
            facts: s.facts,
            rows: s.truth.len(),
            bytes,
        },
        paths,
    ))
}

/// Read `truth.jsonl`; errors name the file and line.
pub fn read_truth(path: &Path) -> Result<Vec<TruthRow>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot read truth file {}: {e}\n  = help: pass the truth.jsonl that `compare gen` wrote beside the seeds",
            path.display()
        )
    })?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: TruthRow = serde_json::from_str(line).with_context(|| {
            format!(
                "{}:{}: not a truth row (see docs/benchmarks.md)",
                path.display(),
                i + 1
            )
        })?;
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn words_read_as_written() {
        assert_eq!(words(1480), "ألف وأربعمئة وثمانون");
        assert_eq!(words(2000), "ألفان");
        assert_eq!(words(3400), "ثلاثة آلاف وأربعمئة");
        assert_eq!(words(25200), "خمسة وعشرون ألفا ومئتان");
        assert_eq!(words(150000), "مئة وخمسون ألفا");
        assert_eq!(million_words(120), "مئة وعشرون مليونا");
        assert_eq!(million_words(5), "خمسة ملايين");
    }

    #[test]
    fn digits_and_groups() {
        assert_eq!(indic("38.4%"), "٣٨٫٤٪");
        assert_eq!(grouped(1480), "1,480");
        assert_eq!(grouped(120000000), "120,000,000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn ordinal_days() {
        assert_eq!(ordinal_day(4), "الرابع");
        assert_eq!(ordinal_day(11), "الحادي عشر");
        assert_eq!(ordinal_day(26), "السادس والعشرين");
        assert_eq!(ordinal_day(31), "الحادي والثلاثين");
    }

    #[test]
    fn a_role_is_one_persons_in_a_story() {
        // Story 491 of seed 2 named two people head of the military council, for two
        // facts the truth called harmless.
        for (seed, index) in (0..300).map(|i| (1, i)).chain([(2, 491)]) {
            let st = story(seed, index);
            let text: BTreeMap<&str, &str> = st
                .articles
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            // Fact → role, for the facts that are not confusers (another country's
            // delegation may have its own head of the military council).
            let mut role_of: BTreeMap<&str, &str> = BTreeMap::new();
            for r in &st.truth {
                if r.kind != "person" || r.class == "confuser" {
                    continue;
                }
                let line = text[r.path.as_str()].lines().nth(r.line - 1).unwrap();
                let sentence = line.split('.').find(|s| s.contains(&r.value)).unwrap();
                let role = ROLES.iter().find(|x| sentence.contains(**x)).unwrap();
                role_of.insert(&r.fact, role);
            }
            let roles: BTreeSet<&str> = role_of.values().copied().collect();
            assert_eq!(roles.len(), role_of.len(), "{}: {role_of:?}", st.id);
        }
    }

    #[test]
    fn confusable_templates_name_what_tells_them_apart() {
        for t in TEMPLATES {
            for p in t.phrasings {
                match t.vary {
                    Vary::Place => assert!(p.contains("{C}") || p.contains("{CAP}"), "{p}"),
                    Vary::Power => assert!(p.contains("{P}") || p.contains("{PA}"), "{p}"),
                    Vary::Never => {}
                }
                assert!(p.contains("{V}"), "{p}");
            }
        }
    }
}
