//! JSON for everything Kago stores and sends: a small value type, a parser and a printer.
//!
//! It replaces `serde` + `serde_json`, which cost about a tenth of the wasm (their visitors,
//! error formatting and float printing). The API follows `serde_json::Value` where Kago uses
//! it. Numbers keep their JSON text, so integers of any size round-trip exactly and no float
//! parser or printer is needed. Objects keep their keys in insertion order.

use std::fmt::{self, Write};

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number, as its text (already checked against the JSON grammar).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// `minor / 10^exponent` as exact decimal text (`2450, 2` → `24.5`), for analytics tools
    /// that want major units.
    pub fn decimal(minor: i64, exponent: u8) -> Number {
        let digits = minor.unsigned_abs().to_string();
        let exponent = usize::from(exponent);
        let padded = format!("{digits:0>width$}", width = exponent + 1);
        let (whole, fraction) = padded.split_at(padded.len() - exponent);
        let fraction = fraction.trim_end_matches('0');
        let sign = if minor < 0 { "-" } else { "" };
        Number(if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction}")
        })
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON object: keys in insertion order; inserting an existing key replaces its value in place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    pub fn insert(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

static NULL: Value = Value::Null;

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Sets `key` on an object (a null becomes an empty object first); other values are left alone.
    pub fn insert(&mut self, key: &str, value: Value) {
        if self.is_null() {
            *self = Value::Object(Map::new());
        }
        if let Value::Object(map) = self {
            map.insert(key.into(), value);
        }
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;
    /// The member, or null when there is none (or this is not an object).
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;
    fn index(&self, at: usize) -> &Value {
        self.as_array().and_then(|a| a.get(at)).unwrap_or(&NULL)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(Number(n.to_string()))
            }
        }
        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                matches!(self, Value::Number(n) if n.0 == other.to_string())
            }
        }
    )*};
}
from_integer!(i32, i64, u8, u16, u32, u64, usize);

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

/// Builds a [`Value`] from JSON-like syntax: `json!({"a": 1, "b": [x, null], "c": {"d": y}})`.
/// Keys are string literals; values are `null`, nested `{…}` / `[…]`, or any expression whose
/// type is [`ToJson`] (it is borrowed, so `json!({"a": v["b"]})` copies the member).
#[macro_export]
macro_rules! json {
    (null) => { $crate::json::Value::Null };
    ([ $($tt:tt)* ]) => {{
        #[allow(unused_mut)]
        let mut items: Vec<$crate::json::Value> = Vec::new();
        $crate::json_items!(items; $($tt)*);
        $crate::json::Value::Array(items)
    }};
    ({ $($tt:tt)* }) => {{
        #[allow(unused_mut)]
        let mut map = $crate::json::Map::new();
        $crate::json_members!(map; $($tt)*);
        $crate::json::Value::Object(map)
    }};
    ($e:expr) => { $crate::json::ToJson::to_json(&$e) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! json_members {
    ($m:ident;) => {};
    ($m:ident; $k:literal : null $(, $($rest:tt)*)?) => {
        $m.insert($k.into(), $crate::json::Value::Null);
        $crate::json_members!($m; $($($rest)*)?);
    };
    ($m:ident; $k:literal : { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $m.insert($k.into(), $crate::json!({ $($v)* }));
        $crate::json_members!($m; $($($rest)*)?);
    };
    ($m:ident; $k:literal : [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $m.insert($k.into(), $crate::json!([ $($v)* ]));
        $crate::json_members!($m; $($($rest)*)?);
    };
    ($m:ident; $k:literal : $v:expr $(, $($rest:tt)*)?) => {
        $m.insert($k.into(), $crate::json::ToJson::to_json(&$v));
        $crate::json_members!($m; $($($rest)*)?);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! json_items {
    ($a:ident;) => {};
    ($a:ident; null $(, $($rest:tt)*)?) => {
        $a.push($crate::json::Value::Null);
        $crate::json_items!($a; $($($rest)*)?);
    };
    ($a:ident; { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $a.push($crate::json!({ $($v)* }));
        $crate::json_items!($a; $($($rest)*)?);
    };
    ($a:ident; [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $a.push($crate::json!([ $($v)* ]));
        $crate::json_items!($a; $($($rest)*)?);
    };
    ($a:ident; $v:expr $(, $($rest:tt)*)?) => {
        $a.push($crate::json::ToJson::to_json(&$v));
        $crate::json_items!($a; $($($rest)*)?);
    };
}

// ---------------------------------------------------------------------------------------------
// Printing

impl fmt::Display for Value {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_value(&mut out, self);
        f.write_str(&out)
    }
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.0),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.0.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Deepest nesting accepted; deeper text (only ever hostile or corrupt) is refused, not a crash.
const MAX_DEPTH: usize = 128;

/// Parses JSON text (RFC 8259). The error names what was wrong and the byte offset.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = p.value()?;
    p.space();
    if p.at != p.s.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.at)
    }

    fn space(&mut self) {
        while matches!(self.s.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.s.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.s[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.space();
        match self.s.get(self.at) {
            None => Err(self.error("unexpected end")),
            Some(b'n') => self.word("null", Value::Null),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[' | b'{') if self.depth >= MAX_DEPTH => Err(self.error("nested too deeply")),
            Some(b'[') => {
                self.at += 1;
                self.depth += 1;
                let mut items = Vec::new();
                self.space();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        self.space();
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("expected `,` or `]`"));
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::Array(items))
            }
            Some(b'{') => {
                self.at += 1;
                self.depth += 1;
                let mut map = Map::new();
                self.space();
                if !self.eat(b'}') {
                    loop {
                        self.space();
                        if self.s.get(self.at) != Some(&b'"') {
                            return Err(self.error("expected a key"));
                        }
                        let key = self.string()?;
                        self.space();
                        if !self.eat(b':') {
                            return Err(self.error("expected `:`"));
                        }
                        map.insert(key, self.value()?);
                        self.space();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("expected `,` or `}`"));
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::Object(map))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        self.eat(b'-');
        let int = self.digits();
        if int == 0 || (int > 1 && self.s[self.at - int] == b'0') {
            return Err(self.error("bad number"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.error("bad number"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return Err(self.error("bad number"));
            }
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        let text = String::from_utf8_lossy(&self.s[start..self.at]).into_owned();
        Ok(Value::Number(Number(text)))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .s
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("bad \\u escape"))?;
        self.at += 4;
        Ok(digits)
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let Some(&byte) = self.s.get(self.at) else {
                return Err(self.error("unterminated string"));
            };
            self.at += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.s.get(self.at) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high)
                                && self.s[self.at..].starts_with(b"\\u")
                            {
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("bad surrogate pair"));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            char::from_u32(code).ok_or_else(|| self.error("lone surrogate"))?
                        }
                        _ => return Err(self.error("bad escape")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..0x20 => return Err(self.error("control character in string")),
                _ => out.push(byte),
            }
        }
        // The input is a &str and escapes were pushed as UTF-8: the bytes are valid UTF-8.
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"))
    }
}

// ---------------------------------------------------------------------------------------------
// Typed conversions

/// A type with a JSON form.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

/// A type read back from its JSON form; the error says which field was wrong.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, String>;
}

/// The compact JSON text of `value`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    value.to_json().to_string()
}

/// Parses `text` and reads a `T` from it.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, String> {
    T::from_json(&parse(text)?)
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.into())
    }
}

impl ToJson for Map {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl ToJson for Number {
    fn to_json(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .map(String::from)
            .ok_or_else(|| "expected a string".into())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_bool()
            .ok_or_else(|| "expected true or false".into())
    }
}

macro_rules! integer_json {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
        impl FromJson for $t {
            fn from_json(value: &Value) -> Result<Self, String> {
                match value {
                    Value::Number(n) => n.0.parse().map_err(|_| format!("{n} is out of range")),
                    _ => Err("expected a number".into()),
                }
            }
        }
    )*};
}
integer_json!(i64, u32, u64);

macro_rules! integer_to_json {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
integer_to_json!(i32, u8, u16, usize);

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        let items = value.as_array().ok_or("expected an array")?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| T::from_json(v).map_err(|e| format!("at [{i}]: {e}")))
            .collect()
    }
}

/// Reads the members of an object, naming the member in every error.
pub struct Fields<'a>(&'a Map);

impl<'a> Fields<'a> {
    pub fn of(value: &'a Value) -> Result<Fields<'a>, String> {
        value
            .as_object()
            .map(Fields)
            .ok_or_else(|| "expected an object".into())
    }

    /// The member, or null when it is missing.
    pub fn member(&self, key: &str) -> &'a Value {
        self.0.get(key).unwrap_or(&NULL)
    }

    /// A member that must be there (a missing `Option` member reads as `None`).
    pub fn get<T: FromJson>(&self, key: &str) -> Result<T, String> {
        let member = self.0.get(key);
        T::from_json(member.unwrap_or(&NULL)).map_err(|e| member_error(key, member.is_some(), e))
    }

    /// A member that may be missing or null, then it takes its default.
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(v) => T::from_json(v).map_err(|e| member_error(key, true, e)),
        }
    }
}

/// The error of a member that is there but wrong, or missing. (Not generic: [`Fields::get`]
/// has a copy per type it reads, its error wording need not.)
fn member_error(key: &str, present: bool, error: String) -> String {
    if present {
        format!("in `{key}`: {error}")
    } else {
        format!("missing field `{key}`")
    }
}

/// Implements [`ToJson`] and [`FromJson`] for a struct whose members are named like its fields.
/// Fields after `;` may be missing from the text (then they take their default) and are left
/// out of it when null.
#[macro_export]
macro_rules! json_struct {
    ($t:ident { $($f:ident),* $(; $($d:ident),*)? }) => {
        impl $crate::json::ToJson for $t {
            fn to_json(&self) -> $crate::json::Value {
                let mut map = $crate::json::Map::new();
                $(map.insert(stringify!($f).into(), $crate::json::ToJson::to_json(&self.$f));)*
                $($(
                    let value = $crate::json::ToJson::to_json(&self.$d);
                    if !value.is_null() {
                        map.insert(stringify!($d).into(), value);
                    }
                )*)?
                $crate::json::Value::Object(map)
            }
        }
        impl $crate::json::FromJson for $t {
            fn from_json(value: &$crate::json::Value) -> Result<Self, String> {
                let fields = $crate::json::Fields::of(value)?;
                Ok($t {
                    $($f: fields.get(stringify!($f))?,)*
                    $($($d: fields.or_default(stringify!($d))?,)*)?
                })
            }
        }
    };
}

pub use crate::json_struct;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_every_kind_of_value() {
        let text = r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "x\"\\\/\n\u00e9\ud83d\ude00"}, "": 0} "#;
        let value = parse(text).unwrap();
        assert_eq!(value["a"][0], 1);
        assert_eq!(value["a"][1].as_i64(), None, "not an integer");
        assert_eq!(value["b"]["c"], "x\"\\/\né😀");
        assert_eq!(value["missing"]["deeper"], Value::Null);
        assert_eq!(
            value.to_string(),
            r#"{"a":[1,-2.5e3,true,false,null],"b":{"c":"x\"\\/\né😀"},"":0}"#
        );
        assert_eq!(parse(&value.to_string()).unwrap(), value);
    }

    #[test]
    fn bad_text_is_refused_with_where() {
        for (text, error) in [
            ("", "unexpected end at byte 0"),
            ("{\"a\" 1}", "expected `:` at byte 5"),
            ("[1,]", "expected a value at byte 3"),
            ("01", "bad number at byte 2"),
            ("1.", "bad number at byte 2"),
            ("\"a", "unterminated string at byte 2"),
            ("\"\\x\"", "bad escape at byte 3"),
            ("\"\\ud800\"", "lone surrogate at byte 7"),
            ("{} x", "trailing characters at byte 3"),
            ("nul", "expected a value at byte 0"),
            ("{1:2}", "expected a key at byte 1"),
            ("\"\u{1}\"", "control character in string at byte 2"),
        ] {
            assert_eq!(parse(text).unwrap_err(), error, "{text:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().starts_with("nested too deeply"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Number::decimal(2450, 2).as_str(), "24.5");
        assert_eq!(Number::decimal(4900, 2).as_str(), "49");
        assert_eq!(Number::decimal(-5, 2).as_str(), "-0.05");
        assert_eq!(Number::decimal(1234, 0).as_str(), "1234");
        assert_eq!(Number::decimal(1, 3).as_str(), "0.001");
        assert_eq!(
            Number::decimal(i64::MIN, 2).as_str(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn the_macro_builds_nested_values() {
        let sku = "TEE";
        let items = vec![json!({"sku": sku})];
        let v = json!({"a": null, "b": [1, null, {"c": true}], "items": items, "n": Some(3u32), "none": None::<u32>});
        assert_eq!(
            v.to_string(),
            r#"{"a":null,"b":[1,null,{"c":true}],"items":[{"sku":"TEE"}],"n":3,"none":null}"#
        );
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// The value with every object's keys sorted (serde_json sorts them; we keep their order).
    fn sorted(v: Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            Value::Object(map) => {
                let mut members: Vec<(String, Value)> =
                    map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                members.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(members.into_iter().collect())
            }
            v => v,
        }
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_value(v in any_value()) {
            prop_assert_eq!(parse(&v.to_string()).unwrap(), v);
        }

        #[test]
        fn serde_json_reads_what_we_print_and_we_read_what_it_prints(v in any_value()) {
            let theirs: serde_json::Value = serde_json::from_str(&v.to_string()).unwrap();
            prop_assert_eq!(sorted(parse(&theirs.to_string()).unwrap()), sorted(v));
        }

        #[test]
        fn any_text_parses_or_is_refused_without_panicking(s in ".{0,64}") {
            let _ = parse(&s);
        }
    }
}
