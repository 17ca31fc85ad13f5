//! The bundled icon set: simple-icons (CC0-1.0), one pinned release in
//! `core/assets/simple-icons.tsv.z` (zlib; the text is one line per icon),
//! written by `scripts/icons-update`.
//!
//! Compressed in the binary (1.9 MB rather than 4.4), inflated and indexed
//! on first use (about 4 MB of memory from then on). Nothing is ever
//! fetched.
//!
//! An issuer matches an icon when its [`key`] is the icon's title, slug or
//! another name of it; failing that, without generic words ("Mijn",
//! "Account", "B.V."); failing that, when it is a domain, by the name the
//! domain registers ("mijn.ista.nl" → "ista", "accounts.google.com" →
//! "google"). Nothing fuzzier: a wrong logo is worse than initials.

use std::collections::HashMap;
use std::sync::OnceLock;

static PACKED: &[u8] = include_bytes!("../../assets/simple-icons.tsv.z");

fn pack() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        use std::io::Read as _;
        let mut text = String::new();
        // Our own build's asset, checked by the tests: a failure here is a
        // broken build, and an empty set only loses the logos.
        let _ = flate2::read::ZlibDecoder::new(PACKED).read_to_string(&mut text);
        text
    })
}

/// One icon of the set.
#[derive(Debug, PartialEq, Eq)]
pub struct Bundled {
    /// Its stable name in the set ("github").
    pub slug: &'static str,
    /// The brand's name ("GitHub").
    pub title: &'static str,
    /// The brand's colour, six hex digits without `#`.
    pub hex: &'static str,
    /// The glyph, an SVG path on a 24×24 view box (commands and numbers
    /// only, checked when the set was written).
    pub path: &'static str,
}

impl Bundled {
    /// A standalone SVG document of the glyph in its brand colour, for
    /// exports to apps that want image bytes (Aegis).
    pub fn svg(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><title>{}</title><path fill=\"#{}\" d=\"{}\"/></svg>",
            escape(self.title),
            self.hex,
            self.path
        )
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct Index {
    icons: Vec<Bundled>,
    by_slug: HashMap<&'static str, usize>,
    /// Every name's key, titles before other names so that a title wins.
    by_key: HashMap<String, usize>,
    /// (key, icon) of every name, for search.
    names: Vec<(String, usize)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut icons = Vec::new();
        let mut others = Vec::new();
        for line in pack().lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            let (Some(slug), Some(title), Some(hex), Some(more), Some(path)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            others.push((icons.len(), more));
            icons.push(Bundled {
                slug,
                title,
                hex,
                path,
            });
        }
        let mut by_key = HashMap::new();
        let mut names = Vec::new();
        // Slugs with `_` are a second brand of the same name ("spring_creators"):
        // the plain one keeps the name.
        let mut order: Vec<usize> = (0..icons.len()).collect();
        order.sort_by_key(|&i| icons[i].slug.contains('_'));
        for &i in &order {
            for k in [key(icons[i].title), icons[i].slug.replace('_', "")] {
                by_key.entry(k.clone()).or_insert(i);
                names.push((k, i));
            }
        }
        for (i, more) in others {
            for name in more.split('|').filter(|n| !n.is_empty()) {
                let k = key(name);
                by_key.entry(k.clone()).or_insert(i);
                names.push((k, i));
            }
        }
        let by_slug = icons.iter().enumerate().map(|(i, b)| (b.slug, i)).collect();
        Index {
            icons,
            by_slug,
            by_key,
            names,
        }
    })
}

/// The icon with this slug.
pub fn get(slug: &str) -> Option<&'static Bundled> {
    let ix = index();
    ix.by_slug.get(slug).map(|&i| &ix.icons[i])
}

/// The icon whose glyph an SVG document draws, when it is one of ours
/// as [`Bundled::svg`] writes it (an export coming back): a reference to
/// the set rather than a copy of it.
pub fn from_svg(svg: &str) -> Option<&'static Bundled> {
    let path = svg.split(" d=\"").nth(1)?.split('"').next()?;
    index()
        .icons
        .iter()
        .find(|b| b.path == path && svg == b.svg())
}

/// How many icons the set has.
pub fn count() -> usize {
    index().icons.len()
}

/// A name as the set compares names: lower case, letters and digits, with
/// `+`, `&` and `.` spelt out as simple-icons' slugs spell them.
pub fn key(name: &str) -> String {
    let mut k = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            '+' => k.push_str("plus"),
            '&' => k.push_str("and"),
            '.' => k.push_str("dot"),
            c if c.is_alphanumeric() => k.push(c),
            _ => {}
        }
    }
    k
}

/// Words that name no brand at either end of an issuer.
const LEADING: &[&str] = &["my", "mijn", "mein", "mon", "ma", "mon compte"];
const TRAILING: &[&str] = &[
    "account",
    "accounts",
    "login",
    "log in",
    "portal",
    "portaal",
    "inc",
    "inc.",
    "llc",
    "ltd",
    "ltd.",
    "gmbh",
    "ag",
    "bv",
    "b.v.",
    "nv",
    "n.v.",
    "sa",
    "s.a.",
    "corp",
    "corp.",
    "2fa",
    "mfa",
    "sso",
    "id",
    "online",
    "account center",
    "web",
];

/// The bundled icon for an issuer, by the rule in the module docs.
pub fn for_issuer(issuer: &str) -> Option<&'static Bundled> {
    let issuer = issuer.trim();
    if issuer.is_empty() || issuer.len() > MAX_QUERY {
        return None;
    }
    let ix = index();
    let by = |k: &str| (!k.is_empty()).then(|| ix.by_key.get(k)).flatten();
    if let Some(&i) = by(&key(issuer)) {
        return Some(&ix.icons[i]);
    }
    if let Some(&i) = by(&key(&without_generic_words(issuer))) {
        return Some(&ix.icons[i]);
    }
    let domain = registered_name(issuer)?;
    by(&key(domain)).map(|&i| &ix.icons[i])
}

fn without_generic_words(issuer: &str) -> String {
    let lower = issuer.to_lowercase();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    while words.len() > 1 && LEADING.contains(&words[0]) {
        words.remove(0);
    }
    while words.len() > 1 && TRAILING.contains(&words[words.len() - 1]) {
        words.pop();
    }
    words.join(" ")
}

/// "mijn.ista.nl" → "ista"; "https://accounts.google.com/x" → "google";
/// "bbc.co.uk" → "bbc". `None` when the text is not a domain name.
fn registered_name(text: &str) -> Option<&str> {
    let host = text.split_once("://").map_or(text, |(_, rest)| rest);
    let host = host.split(['/', ':', '?']).next()?;
    if !host.contains('.')
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return None;
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let tld = labels.last()?;
    if labels.len() < 2 || tld.len() < 2 || tld.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut rest = &labels[..labels.len() - 1];
    // A country's second level ("co.uk", "com.au"): the name is below it.
    if tld.len() == 2
        && rest.len() >= 2
        && ["co", "com", "org", "net", "gov", "ac", "or", "ne", "edu"]
            .contains(&rest[rest.len() - 1])
    {
        rest = &rest[..rest.len() - 1];
    }
    rest.last().copied()
}

/// The longest search or issuer text looked up, in bytes.
const MAX_QUERY: usize = 200;

/// Icons whose names start with, or else contain, `query`, shorter names
/// first: what the icon search in Edit lists.
pub fn search(query: &str, limit: usize) -> Vec<&'static Bundled> {
    // No brand's name is this long; a longer query would only cost a
    // search per name of its own length.
    if query.len() > MAX_QUERY {
        return Vec::new();
    }
    let q = key(query);
    if q.is_empty() {
        return Vec::new();
    }
    let ix = index();
    let mut hits: Vec<(bool, usize, usize)> = ix
        .names
        .iter()
        .filter_map(|(k, i)| {
            let at = k.find(&q)?;
            Some((at != 0, ix.icons[*i].title.len(), *i))
        })
        .collect();
    hits.sort();
    let mut seen = std::collections::HashSet::new();
    hits.into_iter()
        .filter(|&(_, _, i)| seen.insert(i))
        .take(limit)
        .map(|(_, _, i)| &ix.icons[i])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_is_whole_and_its_paths_are_only_path_data() {
        assert!(count() > 3000, "{}", count());
        for b in &index().icons {
            assert!(
                b.hex.len() == 6 && b.hex.chars().all(|c| c.is_ascii_hexdigit()),
                "{}",
                b.slug
            );
            assert!(
                b.path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " .,+-".contains(c)),
                "{}",
                b.slug
            );
        }
    }

    #[test]
    fn issuers_find_their_brand_by_name_words_and_domain() {
        let slug = |i: &str| for_issuer(i).map(|b| b.slug);
        assert_eq!(slug("GitHub"), Some("github"));
        assert_eq!(slug("github"), Some("github"));
        assert_eq!(slug("  Google Account "), Some("google"));
        assert_eq!(slug("accounts.google.com"), Some("google"));
        assert_eq!(slug("https://github.com/login"), Some("github"));
        assert_eq!(slug("Mijn Ziggo"), Some("ziggo"));
        assert_eq!(slug("Victron Energy"), Some("victronenergy"));
        assert_eq!(slug("bunq"), Some("bunq"));
        assert_eq!(slug("Bitwarden Inc."), Some("bitwarden"));
        assert_eq!(slug("AT&T"), Some("atandt"));
        // No icon rather than a wrong one.
        assert_eq!(slug("Zonneportaal"), None);
        assert_eq!(slug("mijn.ista.nl"), None);
        assert_eq!(slug("Smart Meter Portaal"), None);
        assert_eq!(slug(""), None);
        assert_eq!(slug("1.2.3.4"), None);
    }

    #[test]
    fn search_lists_prefixes_first_and_each_icon_once() {
        let hits = search("github", 8);
        assert_eq!(hits[0].slug, "github");
        assert!(hits.iter().any(|b| b.slug == "githubactions"));
        assert!(search("hub", 40).iter().any(|b| b.slug == "github"));
        let mut slugs: Vec<_> = hits.iter().map(|b| b.slug).collect();
        slugs.dedup();
        assert_eq!(slugs.len(), hits.len());
        assert!(search("  ", 8).is_empty());
        assert!(search("zzzzqqq", 8).is_empty());
        assert!(search(&"github".repeat(100), 8).is_empty());
    }

    #[test]
    fn an_exported_glyph_is_a_whole_svg_in_the_brand_colour() {
        let svg = get("github").unwrap().svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("fill=\"#181717\""));
        assert_eq!(from_svg(&svg).map(|b| b.slug), Some("github"));
        assert_eq!(from_svg(&svg.replace("181717", "000000")), None);
    }
}
