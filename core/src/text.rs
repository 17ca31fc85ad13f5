//! Cleaning short texts that come from other people's files (a household
//! password's name, a tag) before they are kept and shown in one line.

/// `text` on one line: control characters (a tab, a line break, an
/// escape) become spaces, the ends are trimmed, at most `max_chars`
/// characters are kept.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .chars()
        .take(max_chars)
        .collect::<String>()
        .trim_end()
        .to_owned()
}
