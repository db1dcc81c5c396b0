//! The site's marking scheme: an ordered list of classification levels, each with
//! its banner text and colours, and how a dataset's free-text label finds its level.
//! A leaf value, so the model input can carry it and the charts, the vault, the
//! window's banner and the exports all read the one definition.
//!
//! A label finds its level when the user mapped it (once, audited, in the settings)
//! or when it names a level, or one of the level's aliases, as whole words
//! ("CONFIDENTIAL - SUPPLIER NDA" names CONFIDENTIAL). A label that names several
//! levels takes the strictest, so nothing is ever marked lower than its label says.
//! What a label says besides its level is its caveat ("SUPPLIER NDA"), kept beside
//! the level; a label that does not start with its level is kept whole as the caveat
//! ("ILLUSTRATIVE: PUBLIC ESTIMATES"). A label that finds no level is refused at
//! import ([`Policy::level_of`] says how to map it); where refusing is impossible (a
//! model input read from a file) it counts as the scheme's strictest level.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The schemes Packplan ships, and a site's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "MarkingPreset")]
pub enum Preset {
    /// US banner markings: UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET, TOP SECRET.
    Us,
    /// UK Government Security Classifications: OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET.
    Uk,
    /// NATO: NATO UNCLASSIFIED to COSMIC TOP SECRET.
    Nato,
    /// A company's: PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED (the default).
    #[default]
    Commercial,
    /// The site's own levels.
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 5] = [Preset::Us, Preset::Uk, Preset::Nato, Preset::Commercial, Preset::Custom];

    /// The name the CLI and the settings use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Preset::Us => "us",
            Preset::Uk => "uk",
            Preset::Nato => "nato",
            Preset::Commercial => "commercial",
            Preset::Custom => "custom",
        }
    }
}

impl std::str::FromStr for Preset {
    type Err = Error;
    fn from_str(text: &str) -> Result<Preset> {
        let t = text.trim().to_ascii_lowercase();
        Preset::ALL.into_iter().find(|p| p.as_str() == t).ok_or_else(|| {
            let names: Vec<&str> = Preset::ALL.iter().map(|p| p.as_str()).collect();
            Error::invalid(format!("{text:?} is not a marking scheme; use one of {}", names.join(", ")))
        })
    }
}

/// One level of a scheme: its banner text and colours (`#rrggbb`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "MarkingLevel")]
pub struct Level {
    /// The banner text ("SECRET").
    pub name: String,
    /// Other words that mean this level in a dataset's label ("PUBLIC" for UNCLASSIFIED).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub background: String,
    pub foreground: String,
}

/// A marking scheme: its levels from least to most sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "MarkingScheme")]
pub struct Scheme {
    pub preset: Preset,
    pub levels: Vec<Level>,
}

impl Default for Scheme {
    fn default() -> Scheme {
        Scheme::preset(Preset::Commercial)
    }
}

/// The most levels a scheme may have, and the longest level name or alias.
pub const MAX_LEVELS: usize = 12;
pub const MAX_NAME: usize = 40;

fn level(name: &str, aliases: &[&str], background: &str, foreground: &str) -> Level {
    Level {
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        background: background.into(),
        foreground: foreground.into(),
    }
}

impl Scheme {
    /// A shipped scheme (a custom one starts from the commercial levels).
    ///
    /// The US colours are those of the banner marking convention (green, purple,
    /// blue, red, orange, with black text on orange); the others follow the same
    /// order of hues so that red and orange always mean the two strictest levels.
    pub fn preset(preset: Preset) -> Scheme {
        const WHITE: &str = "#FFFFFF";
        const BLACK: &str = "#000000";
        let levels = match preset {
            Preset::Us => vec![
                level("UNCLASSIFIED", &["PUBLIC"], "#007A33", WHITE),
                level("CUI", &["CONTROLLED UNCLASSIFIED INFORMATION"], "#502B85", WHITE),
                level("CONFIDENTIAL", &[], "#0033A0", WHITE),
                level("SECRET", &[], "#C8102E", WHITE),
                level("TOP SECRET", &[], "#FF8C00", BLACK),
            ],
            Preset::Uk => vec![
                level("OFFICIAL", &["UNCLASSIFIED", "PUBLIC"], "#007A33", WHITE),
                level("OFFICIAL-SENSITIVE", &[], "#0033A0", WHITE),
                level("SECRET", &[], "#C8102E", WHITE),
                level("TOP SECRET", &[], "#FF8C00", BLACK),
            ],
            Preset::Nato => vec![
                level("NATO UNCLASSIFIED", &["UNCLASSIFIED", "PUBLIC"], "#007A33", WHITE),
                level("NATO RESTRICTED", &[], "#502B85", WHITE),
                level("NATO CONFIDENTIAL", &[], "#0033A0", WHITE),
                level("NATO SECRET", &[], "#C8102E", WHITE),
                level("COSMIC TOP SECRET", &[], "#FF8C00", BLACK),
            ],
            Preset::Commercial | Preset::Custom => vec![
                level("PUBLIC", &["UNCLASSIFIED"], "#007A33", WHITE),
                level("INTERNAL", &[], "#0033A0", WHITE),
                level("CONFIDENTIAL", &["PROPRIETARY", "NDA"], "#C8102E", WHITE),
                level("RESTRICTED", &["STRICTLY CONFIDENTIAL"], "#FF8C00", BLACK),
            ],
        };
        Scheme { preset, levels }
    }

    /// Checks a scheme (a custom one especially): 1 to 12 levels, each named on one
    /// line, no name or alias twice, colours as `#rrggbb`.
    pub fn validate(&self) -> Result<()> {
        if self.levels.is_empty() || self.levels.len() > MAX_LEVELS {
            return Err(Error::invalid(format!(
                "a marking scheme needs 1 to {MAX_LEVELS} levels, from least to most sensitive; this one has {}",
                self.levels.len()
            )));
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (i, l) in self.levels.iter().enumerate() {
            let name = l.name.trim();
            if words(name).is_empty() {
                return Err(Error::invalid(format!(
                    "level {} of the marking scheme has no name; give every level its banner text (for example SECRET)",
                    i + 1
                )));
            }
            for text in std::iter::once(&l.name).chain(&l.aliases) {
                if text.chars().count() > MAX_NAME || text.chars().any(char::is_control) {
                    return Err(Error::invalid(format!(
                        "the level name {text:?} is too long or not one line; use at most {MAX_NAME} characters"
                    )));
                }
                let key = words(text);
                if key.is_empty() {
                    return Err(Error::invalid(format!("the level {name} has an empty alias; remove it")));
                }
                if let Some(other) = seen.insert(key, name) {
                    return Err(Error::invalid(format!(
                        "{text:?} names two levels of the marking scheme ({other} and {name}); give every level its own name"
                    )));
                }
            }
            for colour in [&l.background, &l.foreground] {
                if !is_colour(colour) {
                    return Err(Error::invalid(format!(
                        "the colour {colour:?} of the level {name} is not a colour; write it as #rrggbb (for example #C8102E)"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The scheme as its preset defines it: a preset's own levels (whatever levels
    /// came with its name), a custom scheme's as given, trimmed.
    pub fn normalized(self) -> Scheme {
        match self.preset {
            Preset::Custom => Scheme {
                preset: Preset::Custom,
                levels: self
                    .levels
                    .into_iter()
                    .map(|l| Level {
                        name: l.name.trim().to_owned(),
                        aliases: l.aliases.iter().map(|a| a.trim().to_owned()).collect(),
                        background: l.background.trim().to_uppercase(),
                        foreground: l.foreground.trim().to_uppercase(),
                    })
                    .collect(),
            },
            preset => Scheme::preset(preset),
        }
    }

    /// The level called `name` (its banner text or an alias, in any case).
    pub fn find(&self, name: &str) -> Option<usize> {
        let key = words(name);
        self.levels.iter().position(|l| words(&l.name) == key || l.aliases.iter().any(|a| words(a) == key))
    }

    /// The level names, least sensitive first, for messages.
    pub fn names(&self) -> String {
        self.levels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn is_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// A text's words: upper case, anything but letters and digits a separator.
fn tokens(text: &str) -> Vec<String> {
    text.to_uppercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// A text's words joined by single spaces: how names and labels are compared.
fn words(text: &str) -> String {
    tokens(text).join(" ")
}

/// Where a label sits in the scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The level's index in the scheme (higher is stricter).
    pub level: usize,
    /// What the label says besides its level ("SUPPLIER NDA"), upper case, if anything.
    pub caveat: Option<String>,
}

/// The scheme and the user's mappings of labels to levels: how every label of the
/// vault is marked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "MarkingPolicy")]
pub struct Policy {
    #[serde(default)]
    pub scheme: Scheme,
    /// Labels the user mapped to a level by hand (the label as imported -> the level's name).
    #[serde(default)]
    pub mapped: BTreeMap<String, String>,
}

impl Policy {
    /// The shipped default (the commercial scheme, nothing mapped).
    pub fn is_default(&self) -> bool {
        *self == Policy::default()
    }

    /// The policy as stored: the scheme [`Scheme::normalized`], each mapping's label
    /// trimmed and its level spelled as the scheme names it.
    pub fn normalized(self) -> Policy {
        let scheme = self.scheme.normalized();
        let mapped = self
            .mapped
            .into_iter()
            .map(|(label, level)| {
                let level = scheme.find(&level).map_or(level, |i| scheme.levels[i].name.clone());
                (label.trim().to_owned(), level)
            })
            .collect();
        Policy { scheme, mapped }
    }

    /// Checks the scheme and that every mapping names one of its levels.
    pub fn validate(&self) -> Result<()> {
        self.scheme.validate()?;
        for (label, level) in &self.mapped {
            if words(label).is_empty() {
                return Err(Error::invalid("a label mapping has no label; give the label as the data carries it"));
            }
            if self.scheme.find(level).is_none() {
                return Err(Error::invalid(format!(
                    "the label {label:?} is mapped to {level:?}, which is not a level of the marking scheme ({}); map it to one of those",
                    self.scheme.names()
                )));
            }
        }
        Ok(())
    }

    /// The level of `label`, and its caveat; a label that maps to no level is refused
    /// with what to do.
    ///
    /// ```
    /// use packplan_core::classification::{Policy, Preset, Scheme};
    /// let us = Policy { scheme: Scheme::preset(Preset::Us), mapped: Default::default() };
    /// let p = us.level_of("SECRET // TOP SECRET").unwrap();
    /// assert_eq!((us.scheme.levels[p.level].name.as_str(), p.caveat), ("TOP SECRET", None));
    /// let p = us.level_of("Confidential - supplier NDA").unwrap();
    /// assert_eq!((p.level, p.caveat.as_deref()), (2, Some("SUPPLIER NDA")));
    /// assert!(us.level_of("ACME PROPRIETARY").unwrap_err().to_string().contains("--map-label"));
    /// ```
    pub fn level_of(&self, label: &str) -> Result<Placed> {
        self.place(label).ok_or_else(|| {
            Error::invalid(format!(
                "the classification {label:?} names no level of the site's marking scheme ({}: {}); map it to a level in Settings (Marking) or with `packplan vault settings --map-label \"{}=LEVEL\"`, then try again",
                self.scheme.preset.as_str(),
                self.scheme.names(),
                label.trim()
            ))
        })
    }

    /// The rank of `label` in the scheme: its level's index, or the strictest level
    /// for a label that maps to none (an unknown marking is never treated as lower).
    pub fn rank(&self, label: &str) -> usize {
        self.place(label).map_or(self.scheme.levels.len().saturating_sub(1), |p| p.level)
    }

    fn place(&self, label: &str) -> Option<Placed> {
        let label = label.trim();
        let tokens = tokens(label);
        if tokens.is_empty() {
            return None;
        }
        // every level name or alias the label holds as whole words: (level, first word, word count)
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (i, l) in self.scheme.levels.iter().enumerate() {
            for name in std::iter::once(&l.name).chain(&l.aliases) {
                let name = self::tokens(name);
                if name.is_empty() || name.len() > tokens.len() {
                    continue;
                }
                for start in 0..=tokens.len() - name.len() {
                    if tokens[start..start + name.len()] == name[..] {
                        found.push((i, start, name.len()));
                    }
                }
            }
        }
        let mut covered = vec![false; tokens.len()];
        for &(_, start, len) in &found {
            covered[start..start + len].iter_mut().for_each(|c| *c = true);
        }
        let key = tokens.join(" ");
        let mapped = self.mapped.iter().find(|(l, _)| words(l) == key).and_then(|(_, lvl)| self.scheme.find(lvl));
        let whole = Some(label.to_uppercase());
        let (level, caveat) = match mapped {
            Some(level) if self.scheme.find(label) == Some(level) => (level, None),
            Some(level) => (level, whole),
            None => {
                let level = found.iter().map(|f| f.0).max()?;
                let caveat = if covered.iter().all(|c| *c) {
                    None
                } else {
                    // the words after the level's name when the label starts with it, else the label
                    match found.iter().filter(|f| f.0 == level && f.1 == 0).map(|f| f.2).max() {
                        Some(lead) => rest_after_words(label, lead).map(|r| r.to_uppercase()),
                        None => whole,
                    }
                };
                (level, caveat)
            }
        };
        Some(Placed { level, caveat: caveat.filter(|c| !c.is_empty()) })
    }
}

/// `label` without its first `n` words and the separators after them.
fn rest_after_words(label: &str, n: usize) -> Option<String> {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in label.char_indices() {
        let letter = c.is_alphanumeric();
        if letter && !in_word {
            if seen == n {
                return Some(label[i..].trim().to_owned());
            }
            seen += 1;
        }
        in_word = letter;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(preset: Preset) -> Policy {
        Policy { scheme: Scheme::preset(preset), mapped: BTreeMap::new() }
    }

    fn name(p: &Policy, label: &str) -> (String, Option<String>) {
        let placed = p.level_of(label).unwrap();
        (p.scheme.levels[placed.level].name.clone(), placed.caveat)
    }

    #[test]
    fn every_preset_is_valid_and_parses_by_name() {
        for preset in Preset::ALL {
            Scheme::preset(preset).validate().unwrap();
            assert_eq!(preset.as_str().parse::<Preset>().unwrap(), preset);
        }
        assert!("dod".parse::<Preset>().unwrap_err().to_string().contains("us, uk, nato, commercial, custom"));
    }

    #[test]
    fn the_us_levels_wear_the_banner_colours() {
        let us = Scheme::preset(Preset::Us);
        let names: Vec<&str> = us.levels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET"]);
        // green, purple, blue, red, orange: CONFIDENTIAL is blue, never orange
        let bg: Vec<&str> = us.levels.iter().map(|l| l.background.as_str()).collect();
        assert_eq!(bg, ["#007A33", "#502B85", "#0033A0", "#C8102E", "#FF8C00"]);
    }

    #[test]
    fn the_strictest_named_level_wins_and_the_rest_is_the_caveat() {
        let us = policy(Preset::Us);
        assert_eq!(name(&us, "SECRET / TOP SECRET"), ("TOP SECRET".into(), None));
        assert_eq!(name(&us, "top secret"), ("TOP SECRET".into(), None));
        assert_eq!(name(&us, "Secret - Supplier NDA"), ("SECRET".into(), Some("SUPPLIER NDA".into())));
        assert_eq!(name(&us, "SECRET//NOFORN"), ("SECRET".into(), Some("NOFORN".into())));
        assert_eq!(name(&us, "UNCLASSIFIED"), ("UNCLASSIFIED".into(), None));
        assert_eq!(
            name(&us, "ILLUSTRATIVE: PUBLIC ESTIMATES"),
            ("UNCLASSIFIED".into(), Some("ILLUSTRATIVE: PUBLIC ESTIMATES".into()))
        );
        assert_eq!(
            name(&us, "CONFIDENTIAL - NOT FOR PUBLIC RELEASE"),
            ("CONFIDENTIAL".into(), Some("NOT FOR PUBLIC RELEASE".into()))
        );
        let uk = policy(Preset::Uk);
        assert_eq!(
            name(&uk, "OFFICIAL-SENSITIVE COMMERCIAL"),
            ("OFFICIAL-SENSITIVE".into(), Some("COMMERCIAL".into()))
        );
        let company = policy(Preset::Commercial);
        assert_eq!(name(&company, "STRICTLY CONFIDENTIAL"), ("RESTRICTED".into(), None));
        assert_eq!(name(&company, "ACME PROPRIETARY"), ("CONFIDENTIAL".into(), Some("ACME PROPRIETARY".into())));
        // a word that merely contains a level's name is not that level
        assert!(us.level_of("SECRETARIAT NOTES").is_err());
    }

    #[test]
    fn a_label_naming_no_level_is_refused_until_mapped() {
        let mut nato = policy(Preset::Nato);
        let e = nato.level_of("CONFIDENTIAL - SUPPLIER NDA").unwrap_err();
        assert!(e.to_string().contains("(nato: NATO UNCLASSIFIED, NATO RESTRICTED"), "{e}");
        assert!(e.to_string().contains("--map-label \"CONFIDENTIAL - SUPPLIER NDA=LEVEL\""), "{e}");
        assert_eq!(nato.rank("CONFIDENTIAL - SUPPLIER NDA"), 4, "unmapped counts as the strictest");
        nato.mapped.insert("CONFIDENTIAL - SUPPLIER NDA".into(), "NATO RESTRICTED".into());
        assert_eq!(
            name(&nato, "confidential - supplier nda"),
            ("NATO RESTRICTED".into(), Some("CONFIDENTIAL - SUPPLIER NDA".into()))
        );
        assert_eq!(nato.rank("CONFIDENTIAL - SUPPLIER NDA"), 1);
        nato.validate().unwrap();
        nato.mapped.insert("X".into(), "SECRET".into());
        assert!(nato.validate().unwrap_err().to_string().contains("not a level"));
    }

    #[test]
    fn a_custom_scheme_with_empty_or_duplicate_levels_is_refused() {
        let mut s = Scheme::preset(Preset::Custom);
        s.levels[1].name = "  ".into();
        assert!(s.validate().unwrap_err().to_string().contains("level 2 of the marking scheme has no name"));
        let mut s = Scheme::preset(Preset::Custom);
        s.levels[1].name = "public".into();
        assert!(s.validate().unwrap_err().to_string().contains("names two levels"));
        let mut s = Scheme::preset(Preset::Custom);
        s.levels.clear();
        assert!(s.validate().unwrap_err().to_string().contains("1 to 12 levels"));
        let mut s = Scheme::preset(Preset::Custom);
        s.levels[0].background = "green".into();
        assert!(s.validate().unwrap_err().to_string().contains("#rrggbb"));
    }

    #[test]
    fn a_preset_keeps_its_own_levels_and_a_custom_scheme_its_given_ones() {
        let mut forged = Scheme::preset(Preset::Us);
        forged.levels[4].name = "NOTHING".into();
        assert_eq!(forged.normalized(), Scheme::preset(Preset::Us));
        let custom = Scheme { preset: Preset::Custom, levels: vec![level(" OPEN ", &[], "#00aa00", "#ffffff")] };
        let n = custom.normalized();
        assert_eq!((n.levels[0].name.as_str(), n.levels[0].background.as_str()), ("OPEN", "#00AA00"));
    }
}
