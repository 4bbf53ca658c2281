//! Labels are data: a name, a colour, an optional hotkey and description.

use serde::{Deserialize, Serialize};

/// An sRGB colour, written as `#rrggbb` in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color(pub [u8; 3]);

impl Color {
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(Self([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl std::fmt::Display for Color {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Color {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Color::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("colour {s:?} is not of the form \"#rrggbb\""))
        })
    }
}

/// The Okabe–Ito palette: distinguishable under the common colour-vision deficiencies.
pub const PALETTE: [Color; 7] = [
    Color([0xe6, 0x9f, 0x00]), // orange
    Color([0x56, 0xb4, 0xe9]), // sky blue
    Color([0x00, 0x9e, 0x73]), // bluish green
    Color([0xcc, 0x79, 0xa7]), // reddish purple
    Color([0x00, 0x72, 0xb2]), // blue
    Color([0xd5, 0x5e, 0x00]), // vermillion
    Color([0xf0, 0xe4, 0x42]), // yellow
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub name: String,
    pub color: Color,
    /// A single key (`'1'`…`'9'`, or a letter) that applies this label.
    #[serde(default)]
    pub hotkey: Option<char>,
    #[serde(default)]
    pub description: Option<String>,
}

impl Label {
    pub fn new(name: &str, color: Color, hotkey: Option<char>) -> Self {
        Self {
            name: name.to_owned(),
            color,
            hotkey,
            description: None,
        }
    }
}

/// An ordered set of labels with unique names and unique hotkeys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelSet {
    labels: Vec<Label>,
    /// Name → position, built on first lookup: a lookup per span must not scan 100,000
    /// labels.
    #[serde(skip)]
    index: NameIndex,
}

/// The name index of a label set: derived from the labels, so never part of equality.
#[derive(Clone, Debug, Default)]
struct NameIndex(std::sync::OnceLock<std::collections::HashMap<String, usize>>);

impl PartialEq for NameIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for NameIndex {}

impl Default for LabelSet {
    /// actor (1), topic (2), date (3).
    fn default() -> Self {
        let mut actor = Label::new("actor", PALETTE[0], Some('1'));
        actor.description =
            Some("A person, organisation, country or institution that acts.".into());
        let mut topic = Label::new("topic", PALETTE[1], Some('2'));
        topic.description = Some("What the text is about.".into());
        let mut date = Label::new("date", PALETTE[2], Some('3'));
        date.description = Some("A date, period or point in time.".into());
        Self {
            labels: vec![actor, topic, date],
            index: NameIndex::default(),
        }
    }
}

/// Why a label set (or a change to it) is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelSetError {
    #[error("label {0} has an empty name")]
    EmptyName(usize),
    #[error("label {0:?} is defined twice")]
    Twice(String),
    #[error("hotkey {key:?} is used by both {first:?} and {second:?}")]
    HotkeyTwice {
        key: char,
        first: String,
        second: String,
    },
    #[error("a label needs a name")]
    NoName,
    #[error("there is already a label {0:?}")]
    Exists(String),
    #[error("there is no label {0:?}")]
    Missing(String),
}

impl LabelSet {
    /// Builds a set, refusing duplicate names, duplicate hotkeys and empty names.
    pub fn new(labels: Vec<Label>) -> Result<Self, LabelSetError> {
        let set = Self {
            labels,
            index: NameIndex::default(),
        };
        let problems = set.problems();
        match problems.into_iter().next() {
            Some(p) => Err(p),
            None => Ok(set),
        }
    }

    /// Every reason this set is not valid (empty when it is).
    pub fn problems(&self) -> Vec<LabelSetError> {
        let mut out = Vec::new();
        let mut names = std::collections::HashSet::with_capacity(self.labels.len());
        let mut keys: std::collections::HashMap<char, &str> = std::collections::HashMap::new();
        for (i, l) in self.labels.iter().enumerate() {
            if l.name.trim().is_empty() {
                out.push(LabelSetError::EmptyName(i + 1));
            }
            if !names.insert(l.name.as_str()) {
                out.push(LabelSetError::Twice(l.name.clone()));
            }
            if let Some(k) = l.hotkey {
                match keys.get(&k) {
                    Some(first) => out.push(LabelSetError::HotkeyTwice {
                        key: k,
                        first: (*first).to_owned(),
                        second: l.name.clone(),
                    }),
                    None => {
                        keys.insert(k, &l.name);
                    }
                }
            }
        }
        out
    }

    /// This set with `from` renamed to `to` (which must be new and not empty).
    pub fn renamed(&self, from: &str, to: &str) -> Result<Self, LabelSetError> {
        if to.trim().is_empty() {
            return Err(LabelSetError::NoName);
        }
        if to != from && self.contains(to) {
            return Err(LabelSetError::Exists(to.to_owned()));
        }
        let mut out = self.clone();
        let Some(l) = out.labels.iter_mut().find(|l| l.name == from) else {
            return Err(LabelSetError::Missing(from.to_owned()));
        };
        l.name = to.to_owned();
        out.index = NameIndex::default();
        Ok(out)
    }

    /// The labels as a list, for editing; rebuild with [`LabelSet::new`].
    pub fn to_vec(&self) -> Vec<Label> {
        self.labels.clone()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Label> {
        self.labels.iter()
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Label> {
        let index = self.index.0.get_or_init(|| {
            let mut m = std::collections::HashMap::with_capacity(self.labels.len());
            for (i, l) in self.labels.iter().enumerate() {
                // The first of a name wins, as a scan would find it.
                m.entry(l.name.clone()).or_insert(i);
            }
            m
        });
        index.get(name).and_then(|&i| self.labels.get(i))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn by_hotkey(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.hotkey == Some(key))
    }

    /// Adds a label met in imported data, unless there is one by that name: the given colour
    /// (or the next palette colour) and the next digit hotkey if it is free.
    pub fn add_met(&mut self, name: &str, color: Option<Color>) {
        if self.contains(name) {
            return;
        }
        let n = self.labels.len();
        let color = color.unwrap_or(PALETTE[n % PALETTE.len()]);
        let hotkey =
            char::from_digit((n + 1) as u32, 10).filter(|&k| n < 9 && self.by_hotkey(k).is_none());
        if let Some(index) = self.index.0.get_mut() {
            index.insert(name.to_owned(), n);
        }
        self.labels.push(Label::new(name, color, hotkey));
    }

    /// Adds a label; refuses a duplicate name or hotkey.
    pub fn push(&mut self, label: Label) -> Result<(), LabelSetError> {
        let mut labels = self.labels.clone();
        labels.push(label);
        *self = Self::new(labels)?;
        Ok(())
    }
}

/// Leaves each key to the first of `items` that has it: a later one with the same key loses
/// it (labels united from several sessions or sides).
pub fn drop_repeated_keys<T>(items: &mut [T], mut key: impl FnMut(&mut T) -> &mut Option<char>) {
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let k = key(item);
        if k.is_some_and(|c| !seen.insert(c)) {
            *k = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_index_follows_every_change() {
        let mut set = LabelSet::default();
        assert!(set.contains("actor")); // builds the index
        for i in 0..1000 {
            set.add_met(&format!("l{i}"), None);
        }
        assert_eq!(set.get("l999").map(|l| l.name.as_str()), Some("l999"));
        let renamed = set.renamed("l5", "five").unwrap();
        assert!(renamed.contains("five") && !renamed.contains("l5"));
        assert!(set.contains("l5"), "the original is unchanged");
        let rebuilt = LabelSet::new(set.to_vec()).unwrap();
        assert_eq!(rebuilt, set, "equality is of the labels, not of the index");
        assert!(set.problems().is_empty());
        let mut twice = set.to_vec();
        twice.push(Label::new("l7", PALETTE[0], None));
        assert_eq!(
            LabelSet::new(twice).unwrap_err(),
            LabelSetError::Twice("l7".into())
        );
    }

    #[test]
    fn default_set_is_actor_topic_date() {
        let set = LabelSet::default();
        let names: Vec<_> = set.iter().map(|l| (l.name.as_str(), l.hotkey)).collect();
        assert_eq!(
            names,
            [
                ("actor", Some('1')),
                ("topic", Some('2')),
                ("date", Some('3'))
            ]
        );
        assert!(set.problems().is_empty());
    }

    #[test]
    fn refuses_duplicates() {
        let mut set = LabelSet::default();
        let err = set
            .push(Label::new("place", PALETTE[3], Some('1')))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "hotkey '1' is used by both \"actor\" and \"place\""
        );
        let err = set.push(Label::new("actor", PALETTE[3], None)).unwrap_err();
        assert_eq!(err.to_string(), "label \"actor\" is defined twice");
        set.push(Label::new("place", PALETTE[3], Some('4')))
            .unwrap();
        assert_eq!(set.by_hotkey('4').map(|l| l.name.as_str()), Some("place"));
    }

    #[test]
    fn labels_met_on_import_get_a_colour_and_a_free_hotkey() {
        let mut set = LabelSet::default();
        set.add_met("place", None);
        set.add_met("place", Some(PALETTE[6]));
        set.add_met("org", Some(PALETTE[6]));
        let added: Vec<_> = set
            .iter()
            .skip(3)
            .map(|l| (l.name.as_str(), l.hotkey, l.color))
            .collect();
        assert_eq!(
            added,
            [
                ("place", Some('4'), PALETTE[3]),
                ("org", Some('5'), PALETTE[6])
            ]
        );
        assert!(set.problems().is_empty());
    }

    #[test]
    fn colours_round_trip() {
        assert_eq!(Color::parse("#E69F00"), Some(PALETTE[0]));
        assert_eq!(PALETTE[0].to_string(), "#e69f00");
        assert_eq!(Color::parse("e69f00"), None);
        assert_eq!(Color::parse("#e69f0"), None);
        assert_eq!(Color::parse("#ééé"), None);
    }
}
