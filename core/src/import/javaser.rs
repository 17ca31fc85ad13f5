//! Reads the one shape of Java serialisation an export uses: FreeOTP 2's
//! backup, a `java.util.HashMap<String, String>` written by
//! `ObjectOutputStream`. Specification: the Java Object Serialization
//! Specification, chapter 6 (the stream grammar), and `HashMap.writeObject`,
//! which writes its fields, then as block data the bucket count and the
//! size, then each key and value as an object.
//!
//! Nothing is instantiated: the stream is walked by the grammar, and any
//! other class or object kind is refused, saying what was found where.
//! Only strings can sit inside the map, so nothing nests.
//!
//! A back-reference repeats an earlier string for five bytes: a few
//! megabytes of them would decode to gigabytes. What the strings decode to
//! is counted as they are read, and a stream that decodes to more than a
//! few times its own length is refused.

const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_BLOCKDATALONG: u8 = 0x7A;
const TC_LONGSTRING: u8 = 0x7C;
/// The first handle a stream assigns.
const BASE_HANDLE: u32 = 0x7E_0000;
/// `classDescFlags`: the class has its own writeObject, so block data
/// follows its fields.
const SC_WRITE_METHOD: u8 = 0x01;

/// What the decoded strings may come to, per byte of the stream. A backup
/// writes each string once: its text, plus the cost charged per string,
/// stays under twice the stream's length.
const EXPANSION: usize = 4;
/// Charged per string on top of its text: its place in the map.
const PER_STRING: usize = 32;
/// Room for a tiny stream's few strings.
const SLACK: usize = 64 << 10;

/// Why a stream cannot be read.
#[derive(Debug)]
pub(crate) enum Error {
    /// Not the stream a backup is: what is wrong and at which byte.
    Damaged(String),
    /// Its back-references decode to far more than its own length.
    TooLarge(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Damaged(s) | Error::TooLarge(s) => f.write_str(s),
        }
    }
}

impl From<String> for Error {
    fn from(s: String) -> Self {
        Error::Damaged(s)
    }
}

impl From<&str> for Error {
    fn from(s: &str) -> Self {
        Error::Damaged(s.to_owned())
    }
}

/// Whether `bytes` start like a Java serialisation stream.
pub(crate) fn is_java_stream(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// The entries of the `HashMap<String, String>` in `bytes`, in stream
/// order; `Err` says what is wrong and at which byte.
pub(crate) fn string_map(bytes: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut r = Reader {
        bytes,
        pos: 0,
        handles: Vec::new(),
        budget: bytes.len().saturating_mul(EXPANSION).saturating_add(SLACK),
    };
    if r.take(4, "the stream header")? != MAGIC {
        return Err("it is not a Java serialisation stream".into());
    }
    r.expect(TC_OBJECT, "an object")?;
    r.expect(TC_CLASSDESC, "a class description")?;
    let class = r.utf("the class name")?;
    if class != "java.util.HashMap" {
        return Err(format!("it holds a {class}, not a java.util.HashMap").into());
    }
    r.take(8, "the class's serialVersionUID")?;
    r.handles.push(None);
    let flags = r.u8("the class flags")?;
    if flags & SC_WRITE_METHOD == 0 {
        return Err(format!(
            "the HashMap's class flags are {flags:#04x}, without writeObject data"
        )
        .into());
    }
    // HashMap's fields vary by Java version (loadFactor alone, or with
    // threshold): read whatever is declared.
    let count = r.u16("the field count")?;
    let mut sizes = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let at = r.pos;
        let code = r.u8("a field type")?;
        let name = r.utf("a field name")?;
        sizes.push(match code {
            b'B' | b'Z' => 1,
            b'C' | b'S' => 2,
            b'I' | b'F' => 4,
            b'J' | b'D' => 8,
            _ => {
                return Err(format!(
                    "the HashMap field {name} at byte {at} has type {:?}, not a number",
                    char::from(code)
                )
                .into());
            }
        });
    }
    r.expect(TC_ENDBLOCKDATA, "the end of the class annotation")?;
    r.expect(TC_NULL, "the end of the class hierarchy")?;
    r.handles.push(None);
    for size in sizes {
        r.take(size, "the HashMap's fields")?;
    }
    let header = r.block_data(8, "the HashMap's bucket count and size")?;
    let size = i32::from_be_bytes([header[4], header[5], header[6], header[7]]);
    let size = usize::try_from(size).map_err(|_| format!("the HashMap's size is {size}"))?;
    // The size comes from the file: the entries themselves bound the list.
    let mut map = Vec::new();
    for _ in 0..size {
        let key = r.string("a key")?;
        let value = r.string("a value")?;
        map.push((key, value));
    }
    r.expect(TC_ENDBLOCKDATA, "the end of the HashMap")?;
    if r.pos != bytes.len() {
        return Err(format!(
            "{} unexpected bytes follow the HashMap",
            bytes.len() - r.pos
        )
        .into());
    }
    Ok(map)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Each handle's string, `None` for the class and the map.
    handles: Vec<Option<String>>,
    /// What the strings read from here on may still decode to.
    budget: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| format!("it ends early, in {what} at byte {}", self.pos))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn u8(&mut self, what: &str) -> Result<u8, String> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, String> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<(), String> {
        let at = self.pos;
        match self.u8(what)? {
            b if b == tag => Ok(()),
            b => Err(format!("expected {what} at byte {at}, found {b:#04x}")),
        }
    }

    fn utf(&mut self, what: &str) -> Result<String, String> {
        let len = self.u16(what)?;
        self.text(usize::from(len), what)
    }

    fn text(&mut self, len: usize, what: &str) -> Result<String, String> {
        let at = self.pos;
        let raw = self.take(len, what)?;
        modified_utf8(raw).ok_or_else(|| format!("{what} at byte {at} is not valid text"))
    }

    /// A String object: new, or a reference to one seen before, charged to
    /// the budget before it is copied.
    fn string(&mut self, what: &str) -> Result<String, Error> {
        let at = self.pos;
        let s = match self.u8(what)? {
            TC_STRING => {
                let len = self.u16(what)?;
                self.text(usize::from(len), what)?
            }
            TC_LONGSTRING => {
                let b = self.take(8, what)?;
                let len = u64::from_be_bytes(b.try_into().expect("8 bytes"));
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                self.text(len, what)?
            }
            TC_REFERENCE => {
                let handle = self.u32(what)?;
                let index = handle
                    .checked_sub(BASE_HANDLE)
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|&i| matches!(self.handles.get(i), Some(Some(_))))
                    .ok_or_else(|| {
                        format!("{what} at byte {at} refers to {handle:#x}, which is no string")
                    })?;
                let len = self.handles[index].as_ref().map_or(0, String::len);
                self.charge(len, what, at)?;
                return Ok(self.handles[index].clone().unwrap_or_default());
            }
            TC_NULL => return Err(format!("{what} at byte {at} is null").into()),
            b => {
                return Err(
                    format!("expected {what} (a string) at byte {at}, found {b:#04x}").into(),
                );
            }
        };
        self.charge(s.len(), what, at)?;
        self.handles.push(Some(s.clone()));
        Ok(s)
    }

    /// Books a decoded string of `len` bytes, refusing the stream once its
    /// strings come to more than [`EXPANSION`] times its length.
    fn charge(&mut self, len: usize, what: &str, at: usize) -> Result<(), Error> {
        let cost = len.saturating_add(PER_STRING);
        self.budget = self.budget.checked_sub(cost).ok_or_else(|| {
            Error::TooLarge(format!(
                "its {} bytes decode to more than {EXPANSION} times as much ({what} at byte {at} is one string too many): back-references repeat its strings far more often than FreeOTP writes them. Make a new backup in FreeOTP",
                self.bytes.len()
            ))
        })?;
        Ok(())
    }

    /// Exactly `n` bytes of block data, however the writer split them.
    fn block_data(&mut self, n: usize, what: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let at = self.pos;
            let len = match self.u8(what)? {
                TC_BLOCKDATA => usize::from(self.u8(what)?),
                TC_BLOCKDATALONG => usize::try_from(self.u32(what)?).unwrap_or(usize::MAX),
                b => return Err(format!("expected {what} at byte {at}, found {b:#04x}")),
            };
            if out.len() + len > n {
                return Err(format!("{what} at byte {at} is {len} bytes, not {n}"));
            }
            out.extend_from_slice(self.take(len, what)?);
        }
        Ok(out)
    }
}

/// Java's "modified UTF-8": UTF-8 except that U+0000 takes two bytes and
/// characters beyond U+FFFF are two three-byte surrogates.
fn modified_utf8(b: &[u8]) -> Option<String> {
    let cont = |i: usize| {
        b.get(i)
            .filter(|&&c| c & 0xC0 == 0x80)
            .map(|&c| u16::from(c & 0x3F))
    };
    let mut units = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (unit, n) = match c {
            0x01..=0x7F => (u16::from(c), 1),
            0xC0..=0xDF => ((u16::from(c & 0x1F) << 6) | cont(i + 1)?, 2),
            0xE0..=0xEF => (
                (u16::from(c & 0x0F) << 12) | (cont(i + 1)? << 6) | cont(i + 2)?,
                3,
            ),
            _ => return None,
        };
        units.push(unit);
        i += n;
    }
    String::from_utf16(&units).ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A map as ObjectOutputStream writes it, with `fields` declared.
    pub(crate) fn stream(fields: &[(u8, &str)], entries: &[(&str, &str)]) -> Vec<u8> {
        let mut s = MAGIC.to_vec();
        s.extend([TC_OBJECT, TC_CLASSDESC]);
        let utf = |s: &mut Vec<u8>, t: &str| {
            s.extend((t.len() as u16).to_be_bytes());
            s.extend(t.as_bytes());
        };
        utf(&mut s, "java.util.HashMap");
        s.extend(0x0507_DAC1_C316_60D1u64.to_be_bytes());
        s.push(0x03);
        s.extend((fields.len() as u16).to_be_bytes());
        for (code, name) in fields {
            s.push(*code);
            utf(&mut s, name);
        }
        s.extend([TC_ENDBLOCKDATA, TC_NULL]);
        s.extend(vec![0u8; 4 * fields.len()]);
        s.extend([TC_BLOCKDATA, 8]);
        s.extend(16i32.to_be_bytes());
        s.extend((entries.len() as i32).to_be_bytes());
        for (k, v) in entries {
            for t in [k, v] {
                s.push(TC_STRING);
                utf(&mut s, t);
            }
        }
        s.push(TC_ENDBLOCKDATA);
        s
    }

    #[test]
    fn reads_either_field_layout() {
        for fields in [
            &[(b'F', "loadFactor")][..],
            &[(b'F', "loadFactor"), (b'I', "threshold")],
        ] {
            let s = stream(fields, &[("a", "1"), ("b", "2")]);
            assert_eq!(
                string_map(&s).unwrap(),
                vec![("a".into(), "1".into()), ("b".into(), "2".into())]
            );
        }
    }

    #[test]
    fn a_reference_repeats_an_earlier_string() {
        let mut s = stream(&[(b'F', "loadFactor")], &[("a", "x")]);
        s.pop();
        // Handles: class 0, map 1, "a" 2, "x" 3.
        s.extend([TC_STRING, 0, 1, b'b', TC_REFERENCE, 0x00, 0x7E, 0x00, 0x03]);
        s.push(TC_ENDBLOCKDATA);
        let len = s.len();
        // The size in the block data says 1; make it 2.
        let size_at = s.iter().position(|&b| b == TC_BLOCKDATA).unwrap() + 6;
        s[size_at + 3] = 2;
        assert_eq!(s.len(), len);
        let map = string_map(&s).unwrap();
        assert_eq!(map[1], ("b".into(), "x".into()));
    }

    #[test]
    fn every_cut_is_an_error_that_says_where() {
        let s = stream(&[(b'F', "loadFactor")], &[("key", "value")]);
        for n in 0..s.len() {
            let e = string_map(&s[..n]).unwrap_err();
            assert!(matches!(e, Error::Damaged(_)) && !e.to_string().is_empty());
        }
        let mut other = s.clone();
        other[9 + 10] = b'X';
        assert!(
            string_map(&other)
                .unwrap_err()
                .to_string()
                .contains("not a java.util.HashMap")
        );
    }

    #[test]
    fn modified_utf8_has_its_two_differences() {
        assert_eq!(modified_utf8(b"a\xC0\x80b").as_deref(), Some("a\0b"));
        // U+1F600 as two surrogates.
        assert_eq!(
            modified_utf8(b"\xED\xA0\xBD\xED\xB8\x80").as_deref(),
            Some("\u{1F600}")
        );
        assert_eq!(modified_utf8(b"\xF0\x9F\x98\x80"), None);
    }
}
