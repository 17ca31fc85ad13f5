//! What a card shows for an account (`authdesk_core::icon` decides), the
//! icon search in Edit, and pictures made from a file the user gives.

use authdesk_core::entry::Entry;
use authdesk_core::icon::{self, Bundled, Icon};
use serde::Serialize;

use crate::error::CmdError;

/// What a card's picture is. Bundled glyphs travel as path data, which the
/// page puts into an SVG `d` attribute; pictures as a data URL for `<img>`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Picture {
    /// Coloured initials; `colour` when chosen in Edit.
    Initials { colour: Option<String> },
    /// An icon of the bundled set; `automatic` when matched by the issuer
    /// rather than chosen.
    Bundled {
        #[serde(flatten)]
        icon: BundledView,
        automatic: bool,
    },
    /// The user's own picture.
    Image { url: String },
}

/// One icon of the bundled set.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BundledView {
    pub slug: String,
    pub title: String,
    /// Brand colour, `#rrggbb`.
    pub hex: String,
    pub path: String,
}

impl From<&Bundled> for BundledView {
    fn from(b: &Bundled) -> Self {
        BundledView {
            slug: b.slug.to_owned(),
            title: b.title.to_owned(),
            hex: format!("#{}", b.hex),
            path: b.path.to_owned(),
        }
    }
}

/// The picture of `e`'s card.
pub fn picture(e: &Entry) -> Picture {
    match Icon::of(e.icon.as_deref()).shown(&e.data.issuer) {
        (Icon::Bundled(b), automatic) => Picture::Bundled {
            icon: b.into(),
            automatic,
        },
        (Icon::Colour(c), _) => Picture::Initials {
            colour: Some(c.to_owned()),
        },
        (Icon::Picture(..), _) => Picture::Image {
            url: e.icon.clone().unwrap_or_default(),
        },
        (Icon::Automatic, _) => Picture::Initials { colour: None },
    }
}

/// The logo an entry whose icon is chosen would show if set back to
/// automatic; `None` when it is automatic already (its picture says).
pub fn automatic_logo(e: &Entry) -> Option<BundledView> {
    e.icon.as_ref()?;
    icon::bundled::for_issuer(&e.data.issuer).map(BundledView::from)
}

/// The icon search in Edit: at most this many.
const SEARCH_LIMIT: usize = 24;

pub fn search(query: &str) -> Vec<BundledView> {
    icon::bundled::search(query, SEARCH_LIMIT)
        .into_iter()
        .map(BundledView::from)
        .collect()
}

/// A picture the user gave (a file, dropped bytes): the value Edit saves,
/// and what the card will show.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IconChoice {
    pub value: String,
}

pub fn from_bytes(bytes: &[u8]) -> Result<IconChoice, CmdError> {
    Ok(IconChoice {
        value: icon::picture(bytes)?,
    })
}

pub fn from_file(path: &std::path::Path) -> Result<IconChoice, CmdError> {
    Ok(IconChoice {
        value: icon::picture_from_file(path)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use authdesk_core::entry::EntryData;

    fn entry(issuer: &str, icon: Option<&str>) -> Entry {
        let data =
            EntryData::manual(issuer, "jan", "JBSWY3DPEHPK3PXP", Default::default()).unwrap();
        let mut e = Entry::new(data, 1);
        e.icon = icon.map(str::to_owned);
        e
    }

    #[test]
    fn a_card_shows_the_chosen_or_matched_icon_else_initials() {
        assert!(matches!(picture(&entry("GitHub", None)),
            Picture::Bundled { icon, automatic: true } if icon.slug == "github" && icon.hex == "#181717"));
        assert!(matches!(
            picture(&entry("Zonneportaal", Some("si:github"))),
            Picture::Bundled {
                automatic: false,
                ..
            }
        ));
        assert_eq!(
            picture(&entry("GitHub", Some("#1f8a70"))),
            Picture::Initials {
                colour: Some("#1f8a70".into())
            }
        );
        assert_eq!(
            picture(&entry("Zonneportaal", None)),
            Picture::Initials { colour: None }
        );
        let png = from_bytes(include_bytes!("../../icons/32x32.png"))
            .unwrap()
            .value;
        assert_eq!(
            picture(&entry("Zonneportaal", Some(&png))),
            Picture::Image { url: png }
        );
    }
}
