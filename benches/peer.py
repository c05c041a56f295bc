#!/usr/bin/env python3
"""The benchmark's peer: what a user might script in Python instead of running compare.

    python benches/peer.py --seeds DIR --rules rules.toml --out peer-report.json [--jobs N]

Small and fair on purpose (stdlib + rapidfuzz). It reads the same rules.toml and uses the
same match key, patterns and tolerances as compare, but none of compare's machinery:

1. Read rules.toml with tomllib; expand `{fragment}` / `{lexicon}` references into
   Python `re` patterns (`(?<name>` becomes `(?P<name>`); `{number}` and `{ordinal}` are
   small word grammars written here.
2. Per document, in a multiprocessing Pool: drop the TOML front matter and the rules'
   boilerplate (cut / cut_line / drop), split lines into sentences at . ! ? ؟, normalise
   each sentence as compare's match key does, and extract quantity, date and name claims.
3. Per story, in the Pool: group one type's claims across outlets. Two sentences may join
   when their keys are compatible (subject, unit, the `align.distinguish` places) and
   rapidfuzz's token_set_ratio of their text without the claims reaches a gate; pairs
   merge best first, one sentence per document in a group.
4. A verdict per group with compare's tolerances, difflib word diffs against the group's
   first (earliest published) sentence, and a JSON report with the statement shape of
   compare's report.json (no HTML). Stage times go to stderr.

benches/run.sh runs it next to `compare build` and scores both with `compare score`.
"""
import argparse
import datetime as dt
import difflib
import json
import os
import re
import sys
import time
import tomllib
import unicodedata
from multiprocessing import Pool

from rapidfuzz import fuzz

GATE = 50  # token_set_ratio (0-100) two sentences need to be one statement

# ---------------------------------------------------------------------------------------
# The match key: a port of src/normalize.rs's character mapping.

FOLD = {0x0640: None, 0x00AD: None, 0x061C: None, 0xFEFF: None}
FOLD.update({c: None for c in [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
FOLD.update({c: None for c in [*range(0x064B, 0x0660), 0x0670, *range(0x0610, 0x061B), *range(0x06D6, 0x06EE)]})
FOLD.update({0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)})
FOLD.update({ord(c): " " for c in "\t\u00a0\u202f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))})
FOLD.update({ord(a): b for a, b in zip("٪−؟؛،۔«»“”„", '%-?;,.""""\"')})
FOLD.update({c: "-" for c in range(0x2010, 0x2016)})
FOLD.update({ord(c): "ا" for c in "أإآٱ"} | {ord("ى"): "ي", ord("ی"): "ي"})
FOLD.update({ord(c): "ه" for c in "ةہھەۀ"} | {ord(c): "ك" for c in "کگ"})
FOLD.update({ord("پ"): "ب", ord("ڤ"): "ف", ord("چ"): "ج"})
PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
SEPARATOR = re.compile("(?<=[0-9])([٫٬])(?=[0-9])")
SPACES = re.compile(" {2,}")


def key(text):
    """compare's match key of `text` (same folds; NFC of the whole text, not per cluster)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = PRESENTATION.sub(lambda m: "ريال" if m[0] == "\ufdfc" else unicodedata.normalize("NFKC", m[0]), text)
    text = text.translate(FOLD)
    text = SEPARATOR.sub(lambda m: "." if m[1] == "٫" else "", text)
    return SPACES.sub(" ", text)


def is_word(c):
    return c.isalnum()


def at_word_edges(s, start, end):
    """compare's edge check: up to two proclitics before, a non-word character after."""
    if end < len(s) and is_word(s[end]):
        return False
    for i in range(3):
        if start - 1 - i < 0 or not is_word(s[start - 1 - i]):
            return True
        if s[start - 1 - i] not in "وفبلك":
            return False
    return False


# ---------------------------------------------------------------------------------------
# Numbers: a small grammar for {number} and {ordinal} (folded spellings).

UNITS = {"واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3,
         "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8,
         "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2}
TENS = {"عشر": 10, "عشره": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40,
        "اربعين": 40, "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
        "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90}
HUNDREDS = {"مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200}
HUNDREDS.update({stem + h: v * 100 for stem, v in [("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6),
                 ("سبع", 7), ("ثمان", 8), ("تسع", 9)] for h in ("مئه", "مائه")})
SCALES = {"الف": 1e3, "الفا": 1e3, "الاف": 1e3, "الفان": 2e3, "الفين": 2e3, "مليون": 1e6, "مليونا": 1e6,
          "ملايين": 1e6, "مليونان": 2e6, "مليونين": 2e6, "مليار": 1e9, "مليارا": 1e9, "مليارات": 1e9}
VAGUE = {"عشرات": 20, "مئات": 200, "الاف": 2e3, "ملايين": 2e6, "مليارات": 2e9}
SMALL = UNITS | TENS | HUNDREDS
DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:\.[0-9]{3}){2,}|[0-9]+(?:\.[0-9]+)?)"


def alternation(words):
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


WORD = alternation([*SMALL, *SCALES]) + r"(?!\w)"
TERM = f"(?:{DIGITS}|{WORD})"
NUMBER = (f"(?:{alternation(VAGUE)}(?: (?:ال)?{alternation(['الاف', 'ملايين', 'مليارات'])})?"
          f"|{TERM}(?:(?: و ?| ){TERM})*)")
ORD = {"اول": 1, "اولي": 1, "حادي": 1, "حاديه": 1, "ثاني": 2, "ثانيه": 2, "ثالث": 3, "ثالثه": 3,
       "رابع": 4, "رابعه": 4, "خامس": 5, "خامسه": 5, "سادس": 6, "سادسه": 6, "سابع": 7, "سابعه": 7,
       "ثامن": 8, "ثامنه": 8, "تاسع": 9, "تاسعه": 9, "عاشر": 10, "عاشره": 10, "واحد": 1}
ORD_TENS = {"عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30}
ORDINAL = (f"(?:(?:ال)?{alternation(ORD)}(?: عشر| و ?(?:ال)?{alternation(ORD_TENS)})?"
           f"|(?:ال)?{alternation(ORD_TENS)})")


def parse_number(text):
    """(value, vague) of a {number} match, or None."""
    words = text.split()
    if words and words[0] in VAGUE:
        tail = words[1].removeprefix("ال") if len(words) > 1 else None
        return VAGUE[words[0]] * (SCALES.get(tail, 1) if tail else 1), True
    total = current = 0.0
    for w in (w for w in words if w != "و"):
        if w not in SMALL and w not in SCALES and w.startswith("و"):
            w = w[1:]  # the joining و: وأربعمئة
        if w[0].isdigit():
            if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", w):
                w = w.replace(".", "")  # 1.500 and 1.500.000 read as thousands, as compare does
            current += float(w.replace(",", ""))
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0.0
        elif w in ("مئه", "مائه") and 0 < current < 10:
            current *= 100  # ثلاث مئه
        elif w in SMALL:
            current += SMALL[w]
        else:
            return None
    return total + current, False


def parse_ordinal(text):
    """الثالث والعشرين → 23: the words' values added up."""
    words = [w.removeprefix("و").removeprefix("ال") for w in text.split() if w != "و"]
    return sum(ORD.get(w, ORD_TENS.get(w, 10 if w == "عشر" else 0)) for w in words) or None


# ---------------------------------------------------------------------------------------
# rules.toml → compiled Python patterns.


class Rules:
    def __init__(self, path):
        with open(path, "rb") as f:
            raw = tomllib.load(f)
        self.lexicons = {}  # name -> {surface key: canonical}
        self.alternations = {}
        for name, entries in raw.get("lexicon", {}).items():
            lookup = {key(w).strip(): k for k, ws in entries.items() for w in ws}
            self.lexicons[name] = lookup
            self.alternations[name] = alternation(lookup)
        self.fragments = raw.get("fragments", {})
        bp = raw.get("boilerplate", {})
        self.cut, self.cut_line, self.drop = ([self.compile(m["pattern"]) for m in bp.get(k, [])]
                                              for k in ("cut", "cut_line", "drop"))
        self.claims = []
        for c in raw.get("claim", []):
            if c["kind"] in ("quantity", "date"):
                c["regexes"] = [self.compile(p) for p in c.get("patterns", [])]
            self.claims.append(c)
        self.aliases = {}
        for e in raw.get("entity", []):
            for a in e["aliases"]:
                self.aliases.setdefault(name_fold(key(a).strip()), (e["id"], e["type"]))
        self.alias_re = re.compile(alternation(self.aliases))
        self.distinguish = [(lx, re.compile(self.alternations[lx]))
                            for lx in raw.get("align", {}).get("distinguish", [])]
        self.subject_re = re.compile(self.alternations.get("subject", "(?!)"))
        self.stopwords = {key(w) for w in raw.get("align", {}).get("stopwords", [])}

    def expand(self, pattern, depth=0):
        def one(m):
            name = m[1]
            if name == "number":
                return f"(?:{NUMBER})"
            if name == "ordinal":
                return f"(?:{ORDINAL})"
            if name in self.alternations:
                return self.alternations[name]
            if name in self.fragments and depth < 16:
                text = key(self.fragments[name])
                if re.fullmatch(r"[\w |]+", text) and "|" in text:  # a word list: longest first
                    text = "|".join(sorted(set(text.split("|")), key=lambda w: (-len(w), w)))
                return f"(?:{self.expand(text, depth + 1)})"
            return m[0]
        return re.sub(r"(?<!\\)\{([a-z_][a-z0-9_]*)\}", one, pattern)

    def compile(self, pattern):
        expanded = self.expand(key(pattern.replace("؟", "\\?")))
        return re.compile(expanded.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!"))

    def lookup(self, lexicon, text):
        return self.lexicons.get(lexicon, {}).get(text.strip()) if text is not None else None


def name_fold(k):
    return k.replace("ؤ", "و").replace("ئ", "ي")


RULES = None  # loaded in the parent before the Pool forks


# ---------------------------------------------------------------------------------------
# Extraction, one document per task.

SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def find_all(regex, k):
    """Matches at word edges, retrying one character on when an edge fails (as compare)."""
    out, pos = [], 0
    while pos <= len(k):
        m = regex.search(k, pos)
        if not m:
            break
        if m.end() > m.start() and at_word_edges(k, m.start(), m.end()):
            out.append(m)
            pos = m.end()
        else:
            pos = m.start() + 1
    return out


def subject_before(k, start, window):
    before = k[:start]
    cut = 0
    spaces = [i for i, c in enumerate(before) if c.isspace()]
    if len(spaces) > window:
        cut = spaces[-window - 1]
    best = None
    for m in find_all(RULES.subject_re, before[cut:]):
        best = RULES.lookup("subject", m[0]) or best
    return best


def month_range(y, m, part=None):
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}.get(part, (1, last))
    return dt.date(y, m, lo), dt.date(y, m, hi)


def resolve_date(g, published):
    """(iso, first day, last day) of a date match resolved against the publication date."""
    if published is None:
        return None
    p = published
    lex = RULES.lookup
    day = int(g["day"]) if g.get("day") else (parse_ordinal(g["ordinal"]) if g.get("ordinal") else None)
    month = int(lex("month", g.get("month")) or 0) or None
    year = int(g["year"]) if g.get("year") else None
    direction = int(lex("direction", g.get("direction")) or 0)
    weekday = lex("weekday", g.get("weekday"))
    period, offset = lex("period", g.get("period")), lex("day_offset", g.get("day_offset"))
    try:
        if offset is not None or period == "day":
            d = p + dt.timedelta(days=int(offset if offset is not None else direction))
            return d.isoformat(), d, d
        if period == "week":
            monday = p - dt.timedelta(days=p.weekday()) + dt.timedelta(weeks=direction)
            y, w, _ = monday.isocalendar()
            return f"{y}-W{w:02}", monday, monday + dt.timedelta(days=6)
        if period == "month":
            i = p.year * 12 + p.month - 1 + direction
            lo, hi = month_range(i // 12, i % 12 + 1)
            return lo.isoformat()[:7], lo, hi
        if period == "year":
            return str(p.year + direction), dt.date(p.year + direction, 1, 1), dt.date(p.year + direction, 12, 31)
        if day and month:
            if year:
                d = dt.date(year, month, day)
            elif direction > 0:
                d = next(x for y in range(p.year, p.year + 9) if (x := safe_date(y, month, day)) and x > p)
            else:
                limit = p if direction < 0 else p + dt.timedelta(days=7)
                d = next(x for y in range(p.year, p.year - 9, -1)
                         if (x := safe_date(y, month, day)) and (x < limit if direction < 0 else x <= limit))
            return d.isoformat(), d, d
        if month:
            y = year or (p.year if (month > p.month if direction > 0 else month <= p.month) else
                         p.year + 1 if direction > 0 else p.year - 1)
            lo, hi = month_range(y, month, lex("part", g.get("part")))
            return lo.isoformat()[:7], lo, hi
        if year:
            return str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)
        if weekday:
            back = (p.weekday() - WEEKDAYS.index(weekday)) % 7
            if direction > 0:
                d = p + dt.timedelta(days=(WEEKDAYS.index(weekday) - p.weekday()) % 7 or 7)
            else:
                d = p - dt.timedelta(days=back or (7 if direction < 0 else 0))
            return d.isoformat(), d, d
    except (ValueError, StopIteration, OverflowError):
        return None
    return None


def safe_date(y, m, d):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def claims_in(k, published):
    """[(type, value, span)] of one sentence key; a value is a tuple (see `compatible`)."""
    out = []
    for rule in RULES.claims:
        found = []
        if rule["kind"] == "name":
            for m in find_all(RULES.alias_re, name_fold(k)):
                entity, kind = RULES.aliases[m[0]]
                if kind == rule.get("entity_type"):
                    found.append((m.start(), m.end(), ("name", entity)))
        for regex in rule.get("regexes", []):
            for m in find_all(regex, k):
                g = m.groupdict()
                if rule["kind"] == "quantity":
                    number = parse_number(g["number"].strip()) if g.get("number") else None
                    if number is None:
                        continue
                    amount, vague = number
                    qualifier = RULES.lookup("qualifier", g.get("qualifier")) or ("vague" if vague else "exact")
                    unit = RULES.lookup("unit", g.get("unit")) or rule.get("unit")
                    subject = RULES.lookup("subject", g.get("subject"))
                    if subject is None and rule.get("subject_window"):
                        subject = subject_before(k, m.start(), rule["subject_window"])
                    value = ("quantity", amount, qualifier, unit, subject, rule.get("tolerance", 0.0))
                else:
                    date = resolve_date(g, published)
                    if date is None:
                        continue
                    value = ("date", *date)
                found.append((m.start(), m.end(), value))
        found.sort(key=lambda f: (f[0], -f[1]))
        end = -1
        for start, stop, value in found:  # earliest, then longest; no overlaps within a type
            if start >= end:
                out.append((rule["id"], value, (start, stop)))
                end = stop
    return out


def extract(path_and_rel):
    """One article → (story, [fact dicts]); a fact is one sentence's claims of one type."""
    path, rel = path_and_rel
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, start = {}, 0
    if lines and lines[0].strip() == "+++":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        front = tomllib.loads("\n".join(lines[1:end]))
        start = end + 1
    published = front.get("published")
    published = published if isinstance(published, dt.date) else None
    doc = os.path.splitext(os.path.basename(rel))[0]
    facts, ordinal = [], 0
    for n in range(start, len(lines)):
        line = lines[n]
        if not line.strip():
            continue
        k = key(line)
        if any(r.search(k) for r in RULES.cut):
            break
        if any(r.search(k) for r in RULES.drop):
            continue
        for text in SENTENCE_END.split(line.strip()):
            sk = key(text)
            cut = next((m for r in RULES.cut_line if (m := r.search(sk))), None)
            sk = sk[:cut.start()] if cut else sk
            found = claims_in(sk, published)
            by_type = {}
            for rule, value, span in found:
                by_type.setdefault(rule, []).append((value, span))
            masked = list(sk)  # the sentence without its claims: what it is about
            for _, _, (a, b) in found:
                masked[a:b] = " " * (b - a)
            topic = " ".join(w for w in re.sub("[0-9]", " ", "".join(masked)).split() if w not in RULES.stopwords)
            places = frozenset(f"{lx}:{RULES.lookup(lx, m[0])}" for lx, r in RULES.distinguish
                               for m in find_all(r, sk))
            for rule, claims in by_type.items():
                facts.append({
                    "doc": doc, "path": rel, "outlet": front.get("outlet", ""), "line": n + 1,
                    "published": published.isoformat() if published else "", "sentence": ordinal,
                    "type": rule, "text": text, "values": [v for v, _ in claims], "places": places,
                    "topic": topic,
                })
            ordinal += 1
            if cut:
                break
    return front.get("story", ""), facts


# ---------------------------------------------------------------------------------------
# Grouping, verdicts and diffs, one story per task.


def compatible(a, b):
    """compare's verdict rule: can both values be true of the same thing?"""
    if a[0] != b[0]:
        return False
    if a[0] == "name":
        return a[1] == b[1]
    if a[0] == "date":
        return a[2] <= b[3] and b[2] <= a[3]
    _, va, qa, ua, _, ta = a
    _, vb, qb, ub, _, tb = b
    if ua and ub and ua != ub:
        return False
    t = max(ta, tb)
    if qa == qb == "exact":
        return abs(va - vb) <= t * max(abs(va), abs(vb)) + 1e-9

    def interval(v, q):
        if q == "approx":
            return v * (1 - max(t, 0.1)), v * (1 + max(t, 0.1))
        return {"at_least": (v, float("inf")), "at_most": (float("-inf"), v),
                "vague": (v, v * 5)}.get(q, (v * (1 - t), v * (1 + t)))
    (la, ha), (lb, hb) = interval(va, qa), interval(vb, qb)
    return la <= hb + 1e-9 and lb <= ha + 1e-9


def same_key(a, b):
    """The claim key: same subjects and units when both say one, nested place sets."""
    def of(f, i):
        return {v[i] for v in f["values"] if v[0] == "quantity" and v[i]}
    for i in (3, 4):
        if of(a, i) and of(b, i) and not of(a, i) & of(b, i):
            return False
    return a["places"] <= b["places"] or b["places"] <= a["places"]


def show(v):
    if v[0] == "quantity":
        sign = {"approx": "~", "at_least": "≥", "at_most": "≤", "vague": "~"}.get(v[2], "")
        amount = f"{v[1]:.6f}".rstrip("0").rstrip(".")
        return f"{sign}{amount}" + ("%" if v[3] == "%" else f" {v[3]}" if v[3] else "")
    return v[1]


def word_diff(old, new):
    a, b = re.findall(r"\w+|\W+", old), re.findall(r"\w+|\W+", new)
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        parts = [("equal", "".join(a[i1:i2]))] if tag == "equal" else [
            ("delete", "".join(a[i1:i2])), ("insert", "".join(b[j1:j2]))]
        for op, text in parts:
            if text:
                if ops and ops[-1]["op"] == op:
                    ops[-1]["text"] += text
                else:
                    ops.append({"op": op, "text": text})
    return ops


def statements(facts):
    """One story's facts → statements (grouped, judged and diffed)."""
    out = []
    by_type = {}
    for f in facts:
        by_type.setdefault(f["type"], []).append(f)
    for rule, fs in sorted(by_type.items()):
        pairs = []
        for i, a in enumerate(fs):
            for j in range(i + 1, len(fs)):
                b = fs[j]
                if a["doc"] != b["doc"] and same_key(a, b):
                    score = fuzz.token_set_ratio(a["topic"], b["topic"], score_cutoff=GATE)
                    if score:
                        pairs.append((-score, i, j))
        group = list(range(len(fs)))
        members = {i: [i] for i in group}
        for _, i, j in sorted(pairs):  # best first
            gi, gj = group[i], group[j]
            if gi == gj or {fs[x]["doc"] for x in members[gi]} & {fs[x]["doc"] for x in members[gj]}:
                continue
            if not all(same_key(fs[x], fs[y]) for x in members[gi] for y in members[gj]):
                continue
            for x in members[gj]:
                group[x] = gi
            members[gi] += members.pop(gj)
        for m in members.values():
            out.append(judge(rule, sorted((fs[x] for x in m), key=lambda f: (f["published"] or "~", f["path"], f["sentence"]))))
    return out


def judge(rule, ms):
    outlets = sorted({f["outlet"] for f in ms})
    shown = [", ".join(show(v) for v in f["values"]) for f in ms]
    verdict, reason = "agree", f"{len(outlets)} outlets give {shown[0]}"
    if len(outlets) < 2:
        verdict, reason = "single", f"Only {ms[0]['outlet']} reports this ({shown[0]})"
    else:
        for i, a in enumerate(ms):
            bad = next((j for j in range(i + 1, len(ms)) if not any(
                compatible(x, y) for x in a["values"] for y in ms[j]["values"])), None)
            if bad is not None:
                verdict = "conflict"
                reason = f"{a['outlet']} gives {shown[i]} but {ms[bad]['outlet']} gives {shown[bad]}"
                break
    anchor = min(ms, key=lambda f: (f["doc"], f["sentence"]))
    return {
        "id": f"{rule}-{anchor['doc']}-s{anchor['sentence']}", "type": rule, "verdict": verdict, "reason": reason,
        "members": [{"doc": f["doc"], "outlet": f["outlet"], "published": f["published"], "line": f["line"],
                     "text": f["text"], "values": [show(v) for v in f["values"]],
                     **({"diff": word_diff(ms[0]["text"], f["text"])} if n else {})}
                    for n, f in enumerate(ms)],
    }


# ---------------------------------------------------------------------------------------


def main():
    global RULES
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--rules", default="rules.toml")
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    args = ap.parse_args()
    t0 = time.perf_counter()
    RULES = Rules(args.rules)
    files = sorted((os.path.join(d, f), os.path.relpath(os.path.join(d, f), args.seeds))
                   for d, _, fs in os.walk(args.seeds) for f in fs if f.endswith((".md", ".txt")))
    times = {"rules": time.perf_counter() - t0}
    pool = Pool(args.jobs)  # forked: the workers inherit RULES
    t = time.perf_counter()
    stories = {}
    for story, facts in pool.imap(extract, files, chunksize=16):
        stories.setdefault(story, []).extend(facts)
    times["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    groups = pool.map(statements, [stories[s] for s in sorted(stories)], chunksize=4)
    times["align+verdict+diff"] = time.perf_counter() - t
    pool.close()
    pool.join()  # reaped, so /usr/bin/time counts the workers' CPU
    t = time.perf_counter()
    report = {"tool": "peer", "documents": len(files),
              "statements": sorted((s for g in groups for s in g), key=lambda s: s["id"])}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False)
    times["write"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    for stage, secs in times.items():
        print(f"{stage:>18}: {secs * 1000:9.3f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
