//! Why an account in another app's export cannot be used.
//!
//! Its own module because every reader of other apps' data reports it (the
//! importers, Google's migration links, a plain otpauth:// link that codes
//! cannot be computed for), and none of them should have to depend on
//! another to say so.

/// An account in the export that Authdesk cannot use, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The account as the export names it (issuer and account, or where it is,
    /// such as "line 3"), so that the user can find it.
    pub name: String,
    /// The reason in broad terms, for front ends to say in their language.
    pub kind: SkipKind,
    /// The reason in detail, in English.
    pub reason: String,
}

impl Skipped {
    /// An account named `name` left out for `kind`, with the detailed `reason`.
    pub fn new(name: impl Into<String>, kind: SkipKind, reason: impl Into<String>) -> Self {
        Skipped {
            name: name.into(),
            kind,
            reason: reason.into(),
        }
    }
}

/// Why an account cannot be used, in broad terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipKind {
    /// Codes Authdesk cannot compute: Yandex, mOTP, MD5, 12 digits, ….
    Unsupported,
    /// The secret key is missing or not a valid key.
    BadSecret,
    /// The secret is locked by something only the phone had (its keystore).
    Locked,
    /// The entry is damaged or incomplete.
    Damaged,
}

impl SkipKind {
    /// A stable name for front ends and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipKind::Unsupported => "unsupported",
            SkipKind::BadSecret => "bad_secret",
            SkipKind::Locked => "locked",
            SkipKind::Damaged => "damaged",
        }
    }
}
