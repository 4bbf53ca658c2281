//! Finding text: the find bar's matches, whole-word occurrences for "tag all", and suggested
//! spans (a gazetteer of what is already tagged, and a date recogniser). Offsets are chars.

use super::document::Document;
use std::ops::Range;

/// How the find bar matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindOptions {
    pub case_sensitive: bool,
    pub whole_word: bool,
    pub regex: bool,
}

/// Every non-empty match of `query` in the document, in order, as char ranges. A bad regular
/// expression is an error with the regex crate's explanation.
pub fn find_all(
    doc: &Document,
    query: &str,
    opts: FindOptions,
) -> Result<Vec<Range<usize>>, String> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let mut pattern = if opts.regex {
        query.to_owned()
    } else {
        regex::escape(query)
    };
    if opts.whole_word {
        pattern = format!(r"\b(?:{pattern})\b");
    }
    let re = regex::RegexBuilder::new(&pattern)
        .case_insensitive(!opts.case_sensitive)
        .size_limit(1 << 24)
        .build()
        .map_err(|e| e.to_string())?;
    Ok(to_chars(
        doc,
        re.find_iter(doc.text())
            .filter(|m| !m.is_empty())
            .map(|m| m.range()),
    ))
}

/// Byte ranges (in order) to char ranges, counting chars once.
fn to_chars(doc: &Document, ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    ranges
        .filter_map(|r| Some(doc.byte_to_char(r.start)?..doc.byte_to_char(r.end)?))
        .collect()
}

/// Whole-word, case-sensitive occurrences of exactly `text` (for Shift + a label's key).
pub fn occurrences(doc: &Document, text: &str) -> Vec<Range<usize>> {
    find_all(
        doc,
        text,
        FindOptions {
            case_sensitive: true,
            whole_word: true,
            regex: false,
        },
    )
    .unwrap_or_default()
    .into_iter()
    // `\b` needs a word character at the edge; a selection like "(EU)" matches literally.
    .collect()
}

/// Where a suggestion came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SuggestionSource {
    /// The same text is tagged with this label elsewhere in the document or project.
    Gazetteer,
    /// It looks like a date.
    Date,
    /// Some annotators made it and others did not (`spanmark merge`): for the curator.
    Review,
    /// The model learned from the editor's tags proposes it, this sure (per mille).
    Learned(u16),
}

impl SuggestionSource {
    /// Its confidence, 0..1 (the gazetteer, dates and review items are sure).
    pub fn score(self) -> f32 {
        match self {
            SuggestionSource::Learned(p) => f32::from(p) / 1000.0,
            _ => 1.0,
        }
    }
}

/// A span Spanmark proposes; not an annotation until accepted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Suggestion {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub source: SuggestionSource,
}

impl Suggestion {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Occurrences of the gazetteer's terms (text → label) as whole words, longest first where
/// they overlap.
pub fn gazetteer(doc: &Document, terms: &[(String, String)]) -> Vec<Suggestion> {
    let patterns: Vec<&str> = terms
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| !t.trim().is_empty())
        .collect();
    if patterns.is_empty() {
        return Vec::new();
    }
    let Ok(ac) = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&patterns)
    else {
        return Vec::new();
    };
    let text = doc.text();
    let mut out = Vec::new();
    for m in ac.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let first = text[m.start()..].chars().next();
        let last = text[..m.end()].chars().next_back();
        // Whole words only: no word character glued on either side of a word-character edge.
        if (is_word_char(first) && is_word_char(before))
            || (is_word_char(last) && is_word_char(after))
        {
            continue;
        }
        let term = patterns[m.pattern().as_usize()];
        let (Some(start), Some(end)) = (doc.byte_to_char(m.start()), doc.byte_to_char(m.end()))
        else {
            continue;
        };
        for (t, label) in terms {
            if t == term {
                out.push(Suggestion {
                    start,
                    end,
                    label: label.clone(),
                    source: SuggestionSource::Gazetteer,
                });
            }
        }
    }
    out
}

const MONTHS: &str = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|\
january|february|march|june|july|august|october|\
januar|februar|märz|maerz|juni|juli|oktober|dezember|\
janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|\
jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec|dez";
const WEEKDAYS: &str = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|\
monday|tuesday|wednesday|thursday|friday|saturday|sunday|\
montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|\
lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche";

fn date_regex() -> &'static regex::Regex {
    static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        let y = r"(?:19|20)\d{2}";
        let month = format!(r"(?i:{MONTHS})\.?|May|Mai|mai");
        let weekday = format!(r"(?i:{WEEKDAYS})");
        let dash = r"\s*[-–—]\s*";
        let parts = [
            // Japanese: 2025年3月12日, 2025年3月, 3月12日, 令和 is left out. Full-width digits too.
            r"[0-9０-９]{4}年(?:[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?)?".to_owned(),
            r"[0-9０-９]{1,2}月[0-9０-９]{1,2}日".to_owned(),
            // ISO and numeric: 2025-03-12, 12-03-2025, 12/3/25, 12.03.2025
            format!(r"\b{y}-\d{{2}}-\d{{2}}\b"),
            r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b".to_owned(),
            // 12 maart 2025, 12. März, 1er janvier 2025, 3rd of March
            format!(r"\b\d{{1,2}}(?:\.|er|st|nd|rd|th)?(?:\s+of)?\s+(?:{month})(?:\s+{y})?\b"),
            // March 12, 2025 / March 2025
            format!(r"\b(?:{month})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{y}\b"),
            format!(r"\b(?:{month})\s+{y}\b"),
            // 2022–2025, 2022-25
            format!(r"\b{y}{dash}(?:{y}|\d{{2}})\b"),
            format!(r"\b{y}\b"),
            format!(r"\b(?:{month})\b"),
            format!(r"\b(?:{weekday})\b"),
        ];
        regex::Regex::new(&parts.join("|")).ok()
    });
    static NEVER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!())
    });
    RE.as_ref().unwrap_or(&NEVER)
}

/// Dates in the text: numeric and ISO dates, years 1900–2099, month and weekday names in
/// Dutch, English, German and French, Japanese dates, year ranges. A weekday next to a date
/// ("vrijdag 12 maart 2025") is one span.
pub fn dates(doc: &Document, label: &str) -> Vec<Suggestion> {
    let text = doc.text();
    let mut spans: Vec<Range<usize>> = Vec::new();
    for m in date_regex().find_iter(text) {
        // Joined to the previous one when only spaces or a comma lie between.
        if let Some(prev) = spans.last_mut()
            && text[prev.end..m.start()]
                .chars()
                .all(|c| c == ' ' || c == ',')
            && m.start() - prev.end <= 2
        {
            prev.end = m.end();
            continue;
        }
        spans.push(m.range());
    }
    to_chars(doc, spans.into_iter())
        .into_iter()
        .map(|r| Suggestion {
            start: r.start,
            end: r.end,
            label: label.to_owned(),
            source: SuggestionSource::Date,
        })
        .collect()
}

/// Everything suggestions are computed from; cheap to build and to send to another thread
/// (the document is shared, not copied).
#[derive(Clone, Debug)]
pub struct SuggestInput {
    pub doc: Document,
    /// (start, end, label) of every annotation: their text feeds the gazetteer, and a span
    /// already tagged so is not suggested.
    pub annotations: Vec<(usize, usize, String)>,
    /// (text, label) tagged in other documents of the project.
    pub project_terms: std::sync::Arc<Vec<(String, String)>>,
    /// Labels that exist (suggestions for others are dropped).
    pub labels: Vec<String>,
    /// The label dates get, if the set has one named `date`.
    pub date_label: Option<String>,
    pub rejected: std::collections::HashSet<(usize, usize, String)>,
    /// Spans waiting for a curator's decision.
    pub review: Vec<(usize, usize, String)>,
    /// A model learned from tagged documents, and the confidence below which its spans are
    /// not shown.
    pub learned: Option<std::sync::Arc<super::learn::Model>>,
    pub min_score: f32,
}

/// The suggestions for a document, sorted by start, never one that is already an annotation
/// or was rejected.
pub fn suggestions(input: &SuggestInput) -> Vec<Suggestion> {
    let doc = &input.doc;
    let mut terms: std::collections::BTreeSet<(String, String)> = input
        .annotations
        .iter()
        .filter_map(|(s, e, l)| Some((doc.slice(*s..*e)?.to_owned(), l.clone())))
        .collect();
    terms.extend(input.project_terms.iter().cloned());
    terms.retain(|(t, l)| input.labels.contains(l) && !t.trim().is_empty());
    let terms: Vec<(String, String)> = terms.into_iter().collect();
    let mut list = gazetteer(doc, &terms);
    if let Some(date) = &input.date_label {
        list.extend(dates(doc, date));
    }
    // Review items first among equals, so that dedup keeps them (they say who made them).
    list.extend(input.review.iter().map(|(s, e, l)| Suggestion {
        start: *s,
        end: *e,
        label: l.clone(),
        source: SuggestionSource::Review,
    }));
    if let Some(model) = &input.learned {
        list.extend(
            model
                .predict(doc.text(), &terms)
                .into_iter()
                .filter(|l| l.score >= input.min_score && input.labels.contains(&l.label))
                .map(|l| Suggestion {
                    start: l.start,
                    end: l.end,
                    label: l.label,
                    source: SuggestionSource::Learned((l.score * 1000.0).round() as u16),
                }),
        );
    }
    // Among equals, review items first (they say who made them), learned ones last.
    list.sort_by_key(|g| match g.source {
        SuggestionSource::Review => 0,
        SuggestionSource::Learned(_) => 2,
        _ => 1,
    });
    list.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
    list.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.label == b.label);
    let mut list = one_per_place(list);
    let existing: std::collections::HashSet<(usize, usize, &str)> = input
        .annotations
        .iter()
        .map(|(s, e, l)| (*s, *e, l.as_str()))
        .collect();
    let rejected = &input.rejected;
    list.retain(|g| {
        !existing.contains(&(g.start, g.end, g.label.as_str()))
            && (rejected.is_empty() || !rejected.contains(&(g.start, g.end, g.label.clone())))
    });
    list
}

/// What accept-all would make twice over, thinned (review items are all kept: a curator
/// decides each): at the same bounds the gazetteer's or the date finder's label beats a
/// learned one, and a span inside a longer one is dropped ("EU" in "EU AI-kantoor"), but
/// where the longer is a learned guess less sure than [`SURE_OUTER`]. Linear after the
/// sort by start.
fn one_per_place(mut list: Vec<Suggestion>) -> Vec<Suggestion> {
    let sure = |g: &Suggestion| g.source.score() >= SURE_OUTER;
    let learned = |g: &Suggestion| matches!(g.source, SuggestionSource::Learned(_));
    // Longest first at each start, so an outer span is met before what it holds; learned
    // ones last among equals.
    list.sort_by_key(|g| (g.start, std::cmp::Reverse(g.end), learned(g)));
    let mut out: Vec<Suggestion> = Vec::with_capacity(list.len());
    // The bounds of the longest sure span so far, and of the last one kept.
    let mut reach: Option<(usize, usize)> = None;
    let mut last: Option<(usize, usize)> = None;
    for g in list {
        if matches!(g.source, SuggestionSource::Review) {
            out.push(g);
            continue;
        }
        let bounds = (g.start, g.end);
        let inside = reach.is_some_and(|(s, e)| g.end <= e && bounds != (s, e));
        if inside || learned(&g) && last == Some(bounds) {
            continue;
        }
        if sure(&g) && reach.is_none_or(|(_, e)| g.end > e) {
            reach = Some(bounds);
        }
        last = Some(bounds);
        out.push(g);
    }
    // Back in the order of the list (by start, end, label): Tab walks it so.
    out.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
    out
}

/// A learned span this sure hides the gazetteer's hits inside it.
const SURE_OUTER: f32 = 0.9;

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document, s: &[Suggestion]) -> Vec<String> {
        s.iter()
            .map(|s| doc.slice(s.range()).unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn find_with_case_whole_word_and_regex() {
        let doc = Document::new("De EU, de eu-top en EUR: EU. 日本EU");
        let f = |q: &str, case_sensitive, whole_word, regex| {
            find_all(
                &doc,
                q,
                FindOptions {
                    case_sensitive,
                    whole_word,
                    regex,
                },
            )
            .unwrap()
            .into_iter()
            .map(|r| doc.slice(r).unwrap().to_owned())
            .collect::<Vec<_>>()
        };
        assert_eq!(f("EU", true, true, false), ["EU", "EU"]);
        assert_eq!(f("eu", false, true, false), ["EU", "eu", "EU"]);
        assert_eq!(f("EU", true, false, false), ["EU", "EU", "EU", "EU"]);
        assert_eq!(f(r"E\w+", true, false, true), ["EU", "EUR", "EU", "EU"]);
        assert!(
            find_all(
                &doc,
                "(",
                FindOptions {
                    regex: true,
                    ..Default::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn accept_all_is_not_offered_one_name_twice() {
        let doc =
            Document::new("Het EU AI-kantoor, de EU en Den Haag. Het G7 Hiroshima AI proces.");
        let at = |text: &str, nth: usize, label: &str, source| {
            let r = occurrences(&doc, text)[nth].clone();
            Suggestion {
                start: r.start,
                end: r.end,
                label: label.to_owned(),
                source,
            }
        };
        let g = SuggestionSource::Gazetteer;
        let list = vec![
            at("EU AI-kantoor", 0, "actor", SuggestionSource::Learned(920)),
            at("EU", 0, "actor", g),
            at("AI", 0, "topic", g),
            at("EU", 1, "actor", g),
            at(
                "Den Haag",
                0,
                "organisation",
                SuggestionSource::Learned(990),
            ),
            at("Den Haag", 0, "place", g),
            // A guess this unsure does not hide the sure hits in it.
            at(
                "G7 Hiroshima AI proces",
                0,
                "actor",
                SuggestionSource::Learned(740),
            ),
            at("G7", 0, "actor", g),
            at("AI", 1, "topic", g),
        ];
        let kept = one_per_place(list);
        let shown: Vec<(String, &str)> = texts(&doc, &kept)
            .into_iter()
            .zip(kept.iter().map(|k| k.label.as_str()))
            .collect();
        let want = [
            ("EU AI-kantoor", "actor"),
            ("EU", "actor"),
            ("Den Haag", "place"),
            ("G7", "actor"),
            ("G7 Hiroshima AI proces", "actor"),
            ("AI", "topic"),
        ];
        assert_eq!(shown, want.map(|(t, l)| (t.to_owned(), l)));
    }

    #[test]
    fn gazetteer_finds_whole_words_only() {
        let doc = Document::new("De EU en de EUR; EU-top, (EU) en Japan.");
        let terms = vec![("EU".to_owned(), "actor".to_owned())];
        let s = gazetteer(&doc, &terms);
        assert_eq!(texts(&doc, &s), ["EU", "EU", "EU"]);
        assert_eq!(s[0].start, 3);
    }

    #[test]
    fn dates_in_dutch_english_german_french_and_japanese() {
        let doc = Document::new(
            "Op vrijdag 12 maart 2025 en op 2024-01-05, in 2023, van 2022–2025. \
             On March 3, 2021 and 4 July. Am 1. Mai 2020. Le 14 juillet 1789 et lundi. \
             2025年3月12日と5月1日。 Not a date: 1850, 12345, may be.",
        );
        let found = texts(&doc, &dates(&doc, "date"));
        assert_eq!(
            found,
            [
                "vrijdag 12 maart 2025",
                "2024-01-05",
                "2023",
                "2022–2025",
                "March 3, 2021",
                "4 July",
                "1. Mai 2020",
                "14 juillet",
                "lundi",
                "2025年3月12日",
                "5月1日",
            ]
        );
    }
}

/// Which suggestion: its bounds and label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestionKey {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

impl SuggestionKey {
    pub fn of(g: &Suggestion) -> Self {
        Self {
            start: g.start,
            end: g.end,
            label: g.label.clone(),
        }
    }

    /// Whether `g` is this suggestion.
    pub fn is(&self, g: &Suggestion) -> bool {
        (g.start, g.end, &g.label) == (self.start, self.end, &self.label)
    }
}
