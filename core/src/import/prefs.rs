//! Android's SharedPreferences files (`shared_prefs/*.xml` in an app's data,
//! copied off a rooted phone), which is where several apps keep their
//! accounts. Specification: Android's `XmlUtils.writeMapXml`: a `<map>` of
//! `<string name="…">text</string>`, `<int|long|float|boolean name="…"
//! value="…"/>`, `<set name="…">` of strings and `<null name="…"/>`.
//!
//! The XML is parsed strictly: a file cut off or damaged anywhere is an
//! error, never a shorter list of accounts. Only the string values are kept,
//! since no format reads its accounts from the others.

use super::ImportError;

/// The string values of a preferences file, in file order.
#[derive(Debug, Default)]
pub(crate) struct Prefs {
    strings: Vec<(String, String)>,
}

impl Prefs {
    /// The value of the `<string>` named `name`.
    pub(crate) fn string(&self, name: &str) -> Option<&str> {
        self.strings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every `<string>`, as (name, value).
    pub(crate) fn strings(&self) -> impl Iterator<Item = (&str, &str)> {
        self.strings.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// The file as text when it could be a preferences file: cheap enough to
/// run in every recogniser before the real parse.
fn sniff(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    (text.trim_start().starts_with('<') && text.contains("<map")).then_some(text)
}

/// Whether `bytes` are a preferences file that `is_mine` accepts. A file
/// that looks like one but does not parse (cut off, damaged) is claimed
/// when its text holds `marker`, so that the user hears what is wrong with
/// it from the right app rather than "unknown format".
pub(crate) fn recognise(bytes: &[u8], marker: &str, is_mine: impl FnOnce(&Prefs) -> bool) -> bool {
    let Some(text) = sniff(bytes) else {
        return false;
    };
    match read(text) {
        Ok(prefs) => is_mine(&prefs),
        Err(_) => text.contains(marker),
    }
}

/// The preferences in `bytes`; any flaw in the XML is `Corrupt` for `app`.
pub(crate) fn parse(bytes: &[u8], app: &'static str) -> Result<Prefs, ImportError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ImportError::corrupt(app, format!("it is not UTF-8 text ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    read(text).map_err(|e| ImportError::corrupt(app, e))
}

fn read(text: &str) -> Result<Prefs, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("its XML is not valid: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "map" {
        return Err(format!(
            "its root element is <{}>, not the <map> of Android preferences",
            root.tag_name().name()
        ));
    }
    let mut prefs = Prefs::default();
    for node in root.children().filter(roxmltree::Node::is_element) {
        let tag = node.tag_name().name();
        let Some(name) = node.attribute("name") else {
            let pos = doc.text_pos_at(node.range().start);
            return Err(format!("the <{tag}> at line {} has no name", pos.row));
        };
        if tag == "string" {
            // Entities split the text into several nodes.
            let value: String = node
                .descendants()
                .filter(roxmltree::Node::is_text)
                .filter_map(|t| t.text())
                .collect();
            prefs.strings.push((name.to_owned(), value));
        }
    }
    Ok(prefs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    const FILE: &str = "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    \
        <int name=\"n\" value=\"1\" />\n    <string name=\"k\">[{&quot;a&quot;:1}]</string>\n</map>\n";

    #[test]
    fn reads_string_values_with_entities() {
        let prefs = parse(FILE.as_bytes(), "Test").unwrap();
        assert_eq!(prefs.string("k"), Some("[{\"a\":1}]"));
        assert_eq!(prefs.string("n"), None);
    }

    #[test]
    fn a_cut_off_file_is_damaged_and_still_recognised() {
        let cut = &FILE.as_bytes()[..FILE.len() - 8];
        let e = parse(cut, "Test").unwrap_err();
        assert_eq!(e.kind(), "import_corrupt");
        assert!(recognise(cut, "name=\"k\"", |_| false));
        assert!(!recognise(cut, "name=\"other\"", |_| true));
    }

    #[test]
    fn other_xml_is_not_preferences() {
        let e = parse(b"<map2><string name=\"k\">v</string></map2>", "Test").unwrap_err();
        assert!(e.to_string().contains("<map2>"), "{e}");
        assert!(!recognise(b"{\"map\": 1}", "map", |_| true));
        let e = parse(b"<map><string>v</string></map>", "Test").unwrap_err();
        assert!(e.to_string().contains("no name"), "{e}");
    }
}
