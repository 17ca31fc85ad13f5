//! How hard a password is to guess: one estimate for the app and the
//! command line (zxcvbn's), and the floor for passwords that guard files
//! other people can reach.
//!
//! A backup, and every file of a household folder, may sit where a sync
//! service, a cloud provider and every family member can copy it; whoever
//! has a copy can try passwords offline for as long as they like, and
//! Argon2 only slows each guess down. So backup and household passwords
//! below [`MIN_FILE_PASSWORD_SCORE`] are refused ([`check_file_password`]).
//! The vault file stays on this device: a vault password below
//! [`MIN_VAULT_PASSWORD_SCORE`] gets a warning and needs the user's
//! explicit confirmation, but is not refused (scripts keep working).
//!
//! Only passwords that are being *chosen* are checked: opening or joining
//! with a password that exists already is never refused.
//!
//! zxcvbn reads at most the first 100 characters. It copies the password
//! internally (and keeps matched pieces of it in its result) without
//! wiping them; nothing here makes further copies, and the result kept
//! ([`Strength`]) holds no part of the password.

use std::fmt;

use serde::Serialize;
use zxcvbn::feedback::{Suggestion, Warning};

/// The least zxcvbn score (0–4) of a backup or household password.
/// 3 means "safely unguessable: moderate protection from an offline
/// slow-hash scenario" (about 10^8 to 10^10 guesses).
pub const MIN_FILE_PASSWORD_SCORE: u8 = 3;

/// Below this score a new vault password gets a warning and needs explicit
/// confirmation ("use this weak password anyway").
pub const MIN_VAULT_PASSWORD_SCORE: u8 = 3;

/// Words of the app itself, in English and Dutch, which a password should
/// not lean on.
const APP_WORDS: &[&str] = &[
    "authdesk",
    "vault",
    "backup",
    "household",
    "kluis",
    "gezin",
    "huishouden",
    "wachtwoord",
];

/// One piece of zxcvbn's feedback: a stable `key` the front ends translate
/// (`password.warning.<key>`, `password.suggestion.<key>` in the UI) and
/// zxcvbn's English `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hint {
    /// zxcvbn's feedback as a stable key, such as `"avoid_sequences"`.
    pub key: &'static str,
    /// zxcvbn's own text, in English.
    pub text: String,
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// How hard a password is to guess.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Strength {
    /// 0 (guessed in under 10^3 tries) … 4 (over 10^10 tries).
    #[cfg_attr(feature = "ts", ts(type = "0 | 1 | 2 | 3 | 4"))]
    pub score: u8,
    /// The estimated number of guesses, as a power of ten (0 for an empty
    /// password).
    pub guesses_log10: f64,
    /// What is wrong, when zxcvbn can say.
    pub warning: Option<Hint>,
    /// How to do better; empty for a score of 3 or 4.
    pub suggestions: Vec<Hint>,
}

impl Strength {
    /// Whether the score reaches [`MIN_FILE_PASSWORD_SCORE`].
    pub fn fit_for_files(&self) -> bool {
        self.score >= MIN_FILE_PASSWORD_SCORE
    }

    /// Whether a vault password this strong needs explicit confirmation.
    pub fn weak_for_vault(&self) -> bool {
        self.score < MIN_VAULT_PASSWORD_SCORE
    }

    /// The warning and suggestions as one line of English ("" when none).
    pub fn advice(&self) -> String {
        self.warning
            .iter()
            .chain(&self.suggestions)
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Estimates how hard `password` is to guess. `context` holds words an
/// attacker may try first besides the app's own (the device's and the
/// user's names: [`local_context`]).
pub fn estimate(password: &str, context: &[&str]) -> Strength {
    let mut inputs: Vec<&str> = APP_WORDS.to_vec();
    inputs.extend(context.iter().copied().filter(|w| !w.trim().is_empty()));
    let entropy = zxcvbn::zxcvbn(password, &inputs);
    let (warning, suggestions) = match entropy.feedback() {
        Some(f) => (
            f.warning().map(warning_hint),
            f.suggestions()
                .iter()
                .copied()
                .map(suggestion_hint)
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let guesses_log10 = entropy.guesses_log10();
    Strength {
        score: u8::from(entropy.score()).min(4),
        guesses_log10: if guesses_log10.is_finite() {
            guesses_log10.max(0.0)
        } else {
            0.0
        },
        warning,
        suggestions,
    }
}

/// Words of this device and user that a password should not lean on: the
/// host name, the user name, and their parts ("annas-laptop" gives
/// "annas" and "laptop" too).
pub fn local_context() -> Vec<String> {
    let mut words = Vec::new();
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    for whole in [crate::device::host_name(), user] {
        let whole = whole.trim().to_lowercase();
        if whole.is_empty() {
            continue;
        }
        for part in whole.split(|c: char| !c.is_alphanumeric()) {
            if part.chars().count() >= 3 && part != whole && !words.iter().any(|w| w == part) {
                words.push(part.to_owned());
            }
        }
        if !words.contains(&whole) {
            words.push(whole);
        }
    }
    words
}

/// [`estimate`] with [`local_context`].
pub fn estimate_here(password: &str) -> Strength {
    let context = local_context();
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    estimate(password, &context)
}

/// A new backup or household password: its strength, or [`WeakPassword`]
/// when it is below [`MIN_FILE_PASSWORD_SCORE`].
pub fn check_file_password(password: &str) -> Result<Strength, WeakPassword> {
    let s = estimate_here(password);
    if s.fit_for_files() {
        Ok(s)
    } else {
        Err(WeakPassword::from(s))
    }
}

/// A new backup or household password that is too easy to guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeakPassword {
    /// zxcvbn's score, 0 to 4; below [`MIN_FILE_PASSWORD_SCORE`].
    pub score: u8,
    /// What makes it easy to guess, when zxcvbn says.
    pub warning: Option<Hint>,
    /// How to make it stronger.
    pub suggestions: Vec<Hint>,
}

impl crate::error::Kind for WeakPassword {
    fn kind(&self) -> &'static str {
        "weak_password"
    }

    /// The score and the stable keys of zxcvbn's feedback, which front
    /// ends translate.
    fn params(&self) -> crate::error::Params {
        let suggestions: Vec<&str> = self.suggestions.iter().map(|h| h.key).collect();
        vec![
            ("score", self.score.to_string()),
            ("min", MIN_FILE_PASSWORD_SCORE.to_string()),
            (
                "warning",
                self.warning.as_ref().map_or("", |w| w.key).to_owned(),
            ),
            ("suggestions", suggestions.join(",")),
        ]
    }
}

impl From<Strength> for WeakPassword {
    fn from(s: Strength) -> Self {
        WeakPassword {
            score: s.score,
            warning: s.warning,
            suggestions: s.suggestions,
        }
    }
}

impl fmt::Display for WeakPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this password is too easy to guess (strength {} of 4; backup and household passwords need {MIN_FILE_PASSWORD_SCORE}): a backup may sit in a folder that a sync service and every household member can read, and anyone with a copy can try passwords at leisure.",
            self.score
        )?;
        for hint in self.warning.iter().chain(&self.suggestions) {
            write!(f, " {hint}")?;
        }
        f.write_str(" Choose a longer one, such as four or five words that do not belong together")
    }
}

impl std::error::Error for WeakPassword {}

/// The stable key of each warning (every variant named, so a new zxcvbn
/// warning is a compile error here, not an untranslated text).
pub fn warning_key(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => "straight_rows",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "short_keyboard_patterns",
        Warning::RepeatsLikeAaaAreEasyToGuess => "repeats_aaa",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => "repeats_abcabc",
        Warning::ThisIsATop10Password => "top10",
        Warning::ThisIsATop100Password => "top100",
        Warning::ThisIsACommonPassword => "common",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "similar_to_common",
        Warning::SequencesLikeAbcAreEasyToGuess => "sequences",
        Warning::RecentYearsAreEasyToGuess => "recent_years",
        Warning::AWordByItselfIsEasyToGuess => "word_by_itself",
        Warning::DatesAreOftenEasyToGuess => "dates",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => "names_by_themselves",
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "common_names",
    }
}

/// The stable key of each suggestion.
pub fn suggestion_key(s: Suggestion) -> &'static str {
    match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "use_a_few_words",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => "no_need_for_symbols",
        Suggestion::AddAnotherWordOrTwo => "add_another_word",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "capitalization",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => "all_uppercase",
        Suggestion::ReversedWordsArentMuchHarderToGuess => "reversed_words",
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => "substitutions",
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => "longer_keyboard_pattern",
        Suggestion::AvoidRepeatedWordsAndCharacters => "avoid_repeats",
        Suggestion::AvoidSequences => "avoid_sequences",
        Suggestion::AvoidRecentYears => "avoid_recent_years",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "avoid_your_years",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => "avoid_your_dates",
    }
}

fn warning_hint(w: Warning) -> Hint {
    Hint {
        key: warning_key(w),
        text: w.to_string(),
    }
}

fn suggestion_hint(s: Suggestion) -> Hint {
    Hint {
        key: suggestion_key(s),
        text: s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    #[test]
    fn a_classic_pattern_scores_low_with_feedback() {
        let s = estimate("Password1!", &[]);
        assert!(s.score <= 1, "{s:?}");
        assert!(!s.fit_for_files() && s.weak_for_vault());
        assert!(s.warning.is_some(), "{s:?}");
        assert!(!s.suggestions.is_empty(), "{s:?}");
        assert!(!s.advice().is_empty());
    }

    #[test]
    fn a_long_passphrase_scores_at_least_three() {
        for p in [
            "fietsbel onder de appelboom zingt",
            "correct horse battery staple",
            "purple lantern drifts over quiet harbour",
        ] {
            let s = estimate(p, &[]);
            assert!(s.score >= 3, "{p}: {s:?}");
            assert!(s.fit_for_files() && !s.weak_for_vault());
            assert!(s.guesses_log10 >= 10.0, "{p}: {s:?}");
        }
    }

    #[test]
    fn the_empty_password_is_zero_with_finite_guesses() {
        let s = estimate("", &[]);
        assert_eq!(s.score, 0);
        assert_eq!(s.guesses_log10, 0.0);
        assert!(!s.suggestions.is_empty());
        // Serialisable as JSON (no infinity).
        assert!(
            serde_json::to_string(&s)
                .unwrap()
                .contains("\"guesses_log10\":0.0")
        );
    }

    #[test]
    fn the_apps_words_and_the_context_count_against_a_password() {
        let plain = estimate("authdesk", &[]);
        assert!(plain.score <= 1, "{plain:?}");
        let with = estimate("annas-laptop-x", &["annas-laptop"]);
        let without = estimate("annas-laptop-x", &[]);
        assert!(
            with.guesses_log10 < without.guesses_log10,
            "{with:?} {without:?}"
        );
    }

    #[test]
    fn the_floor_refuses_with_what_why_and_what_to_do() {
        let err = check_file_password("b").unwrap_err();
        assert_eq!(err.kind(), "weak_password");
        assert_eq!(err.score, 0);
        let msg = err.to_string();
        assert!(msg.contains("too easy to guess"), "{msg}");
        assert!(msg.contains("need 3"), "{msg}");
        assert!(msg.contains("sync service"), "{msg}");
        assert!(msg.contains("Choose a longer one"), "{msg}");
        let err = check_file_password("Password1!").unwrap_err();
        let msg = err.to_string();
        let warning = err.warning.as_ref().expect("a warning");
        assert!(msg.contains(&warning.text), "{msg}");
        assert!(check_file_password("purple lantern drifts over quiet harbour").is_ok());
    }

    #[test]
    fn keys_are_distinct_snake_case() {
        let s = estimate("xcvbnm,./", &[]);
        let w = s.warning.expect("a keyboard row has a warning");
        assert_eq!(w.key, "straight_rows");
        assert_eq!(w.text, "Straight rows of keys are easy to guess.");
        let src = include_str!("password.rs");
        let keys: Vec<&str> = src
            .lines()
            .filter(|l| {
                l.contains("=> \"") && (l.contains("Warning::") || l.contains("Suggestion::"))
            })
            .filter_map(|l| l.split('"').nth(1))
            .collect();
        assert_eq!(keys.len(), 14 + 13);
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len());
        assert!(keys.iter().all(|k| {
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }));
    }

    #[test]
    fn the_projects_test_passwords_score_as_the_suites_expect() {
        // The CLI, IPC and e2e suites rely on these: backup and household
        // passwords there must reach the floor, and the weak ones must not.
        for (p, score) in [
            ("Password1!", 1),
            ("test password 1", 3),
            ("gezinsback-up 2026", 4),
            ("huishouden via syncthing", 4),
            ("e2e vault password 42", 4),
            ("brand new password", 4),
            ("gezin 2026", 2),
            ("gezin", 0),
            ("oma", 0),
            ("pw", 0),
            ("a", 0),
            ("b", 0),
        ] {
            assert_eq!(estimate(p, &[]).score, score, "{p:?}");
        }
        // The household passwords of the IPC and e2e suites.
        for p in [
            "zonnepaneel fietsbel appelboom",
            "oma breit sokken in de zomer",
            "oma 2026 wachtwoord",
        ] {
            assert!(estimate(p, &[]).fit_for_files(), "{p:?}");
        }
    }
}
