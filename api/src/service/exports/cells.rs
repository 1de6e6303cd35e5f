//! CSV cells straight from a row's `Serialize`: the row's fields are walked once along the
//! export's dotted column paths and each column's value is written into one reused byte
//! buffer, with no `serde_json::Value` tree built and dropped per row (measured: building
//! and dropping that tree was about a third of an accounts export's CPU). Hand-written
//! because no crate flattens a `Serialize` into dotted columns; `csv`'s own serializer
//! refuses nested structs.
//!
//! A cell reads as the export always wrote it: text as is, numbers and booleans as JSON
//! writes them, a list of plain values joined with `;` (as imports read them), objects and
//! lists holding anything else as JSON, null or missing empty.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::Write as _;

use serde::ser::{self, Impossible, Serialize};

/// The export's columns as a tree of their dotted paths.
pub struct Columns {
    root: Node,
    count: usize,
}

#[derive(Default)]
/// A B-tree: a handful of short key comparisons per field, cheaper than hashing the key
/// (every field of every row is looked up).
struct Node(BTreeMap<&'static str, Child>);

enum Child {
    Leaf(usize),
    Inner(Node),
}

impl Columns {
    /// The tree of `paths`; a path under another column's leaf (or a leaf over another
    /// column's path) is left out: the export's lists never name one.
    pub fn new(paths: &[&'static str]) -> Self {
        let mut root = Node::default();
        for (index, path) in paths.iter().enumerate() {
            let mut node = &mut root;
            let mut keys = path.split('.').peekable();
            while let Some(key) = keys.next() {
                if keys.peek().is_none() {
                    node.0.entry(key).or_insert(Child::Leaf(index));
                    break;
                }
                match node
                    .0
                    .entry(key)
                    .or_insert_with(|| Child::Inner(Node::default()))
                {
                    Child::Inner(inner) => node = inner,
                    Child::Leaf(_) => break,
                }
            }
        }
        Self {
            root,
            count: paths.len(),
        }
    }
}

/// One row's cells: every column's bytes in one buffer, reused from row to row.
pub struct Cells {
    buf: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Cells {
    pub fn new(columns: &Columns) -> Self {
        Self {
            buf: Vec::with_capacity(1024),
            spans: vec![(0, 0); columns.count],
        }
    }

    /// Fills the cells from `row` (every column empty that the row does not have).
    pub fn fill<T: Serialize + ?Sized>(
        &mut self,
        columns: &Columns,
        row: &T,
    ) -> Result<(), CellError> {
        self.buf.clear();
        self.spans.fill((0, 0));
        row.serialize(Walker {
            node: &columns.root,
            cells: self,
        })
    }

    /// The cells in column order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans.iter().map(|&(start, end)| &self.buf[start..end])
    }

    /// Writes `value` as column `index`'s cell.
    fn set<T: Serialize + ?Sized>(&mut self, index: usize, value: &T) -> Result<(), CellError> {
        let start = self.buf.len();
        let written = value.serialize(Scalar {
            buf: &mut self.buf,
            in_list: false,
        });
        match written {
            Ok(()) => {}
            Err(CellError::NotPlain) => {
                // Through a `Value`, so an object's keys are sorted as they always were
                // (only these cells pay for the tree: attributes, line items).
                self.buf.truncate(start);
                let json =
                    serde_json::to_value(value).map_err(|e| CellError::Custom(e.to_string()))?;
                serde_json::to_writer(&mut self.buf, &json)
                    .map_err(|e| CellError::Custom(e.to_string()))?;
            }
            Err(e) => return Err(e),
        }
        if let Some(span) = self.spans.get_mut(index) {
            *span = (start, self.buf.len());
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum CellError {
    /// Not text, a number, a boolean or a list of those: the cell is the value's JSON.
    NotPlain,
    Custom(String),
}

impl Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotPlain => f.write_str("not a plain value"),
            Self::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: Display>(msg: T) -> Self {
        Self::Custom(msg.to_string())
    }
}

// ---------------------------------------------------------------------------------------
// Walking the row along the column tree

/// Serializes a value found at an inner node of the tree: its fields (or map entries)
/// named by the node are followed, the rest skipped unserialized; anything but a struct
/// or a map there has no column (`address.city` of a null address is empty).
struct Walker<'a> {
    node: &'a Node,
    cells: &'a mut Cells,
}

impl Walker<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), CellError> {
        match self.node.0.get(key) {
            Some(Child::Leaf(index)) => self.cells.set(*index, value),
            Some(Child::Inner(node)) => value.serialize(Walker {
                node,
                cells: self.cells,
            }),
            None => Ok(()),
        }
    }
}

/// Skips whatever is serialized into it.
struct Skip;

impl Skip {
    fn item<T: Serialize + ?Sized>(&mut self, _value: &T) -> Result<(), CellError> {
        Ok(())
    }
}

/// Sequence-like compounds that hand each element to the type's `item`.
macro_rules! items {
    ($ty:ty: $($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for $ty {
            type Ok = ();
            type Error = CellError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
                self.item(value)
            }
            fn end(self) -> Result<(), CellError> {
                Ok(())
            }
        }
    )*};
}
items!(
    Skip: SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeStructVariant for Skip {
    type Ok = ();
    type Error = CellError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        _value: &T,
    ) -> Result<(), CellError> {
        Ok(())
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// A struct or map at an inner node; `key` holds the map key being visited.
struct WalkFields<'a> {
    walker: Walker<'a>,
    key: Option<String>,
}

impl ser::SerializeStruct for WalkFields<'_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        self.walker.field(key, value)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

impl ser::SerializeMap for WalkFields<'_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CellError> {
        let mut text = self.key.take().unwrap_or_default();
        text.clear();
        // A key that is not text names no column: its value is skipped.
        if key.serialize(KeyText(&mut text)).is_ok() {
            self.key = Some(text);
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
        match self.key.take() {
            Some(key) => {
                let result = self.walker.field(&key, value);
                self.key = Some(key);
                result
            }
            None => Ok(()),
        }
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

macro_rules! ignore_plain {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, _v: $ty) -> Result<(), CellError> {
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for Walker<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Skip;
    type SerializeTuple = Skip;
    type SerializeTupleStruct = Skip;
    type SerializeTupleVariant = Skip;
    type SerializeMap = WalkFields<'a>;
    type SerializeStruct = WalkFields<'a>;
    type SerializeStructVariant = Skip;

    ignore_plain!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8],
        serialize_unit_struct: &'static str
    );
    fn serialize_none(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Skip, CellError> {
        Ok(Skip)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Skip, CellError> {
        Ok(Skip)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Skip, CellError> {
        Ok(Skip)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Skip, CellError> {
        Ok(Skip)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<WalkFields<'a>, CellError> {
        Ok(WalkFields {
            walker: self,
            key: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<WalkFields<'a>, CellError> {
        Ok(WalkFields {
            walker: self,
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Skip, CellError> {
        Ok(Skip)
    }
}

// ---------------------------------------------------------------------------------------
// One cell

/// Integers as JSON writes them.
macro_rules! integers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), CellError> {
            self.display(v)
        }
    )*};
}

/// The containers a cell or a key cannot be: variants with data, maps and structs.
macro_rules! not_plain_containers {
    () => {
        fn serialize_tuple_variant(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _len: usize,
        ) -> Result<Self::SerializeTupleVariant, CellError> {
            Err(CellError::NotPlain)
        }
        fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, CellError> {
            Err(CellError::NotPlain)
        }
        fn serialize_struct(
            self,
            _name: &'static str,
            _len: usize,
        ) -> Result<Self::SerializeStruct, CellError> {
            Err(CellError::NotPlain)
        }
        fn serialize_struct_variant(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _len: usize,
        ) -> Result<Self::SerializeStructVariant, CellError> {
            Err(CellError::NotPlain)
        }
    };
}

/// Writes a plain value (or, outside a list, a list of plain values joined with `;`);
/// anything else is `NotPlain` and the caller writes the value's JSON instead.
struct Scalar<'a> {
    buf: &'a mut Vec<u8>,
    /// Inside a list, null is not plain (the list is written as JSON).
    in_list: bool,
}

impl Scalar<'_> {
    fn display(self, v: impl Display) -> Result<(), CellError> {
        write!(self.buf, "{v}").map_err(|e| CellError::Custom(e.to_string()))
    }

    fn null(self) -> Result<(), CellError> {
        if self.in_list {
            Err(CellError::NotPlain)
        } else {
            Ok(())
        }
    }

    /// A float as JSON writes one; a non-finite one is JSON's null.
    fn float(self, v: f64) -> Result<(), CellError> {
        if v.is_finite() {
            serde_json::to_writer(&mut *self.buf, &v).map_err(|e| CellError::Custom(e.to_string()))
        } else {
            self.null()
        }
    }
}

/// The items of a list cell, `;` between them.
struct ListCell<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl ListCell<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
        if !self.first {
            self.buf.push(b';');
        }
        self.first = false;
        value.serialize(Scalar {
            buf: self.buf,
            in_list: true,
        })
    }
}

items!(
    ListCell<'_>: SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl<'a> ser::Serializer for Scalar<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = ListCell<'a>;
    type SerializeTuple = ListCell<'a>;
    type SerializeTupleStruct = ListCell<'a>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Impossible<(), CellError>;
    type SerializeStructVariant = Impossible<(), CellError>;

    fn serialize_bool(self, v: bool) -> Result<(), CellError> {
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );
    fn serialize_f32(self, v: f32) -> Result<(), CellError> {
        // As `serde_json::Value` holds an f32: widened to f64.
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), CellError> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        let mut utf8 = [0u8; 4];
        self.buf
            .extend_from_slice(v.encode_utf8(&mut utf8).as_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        self.buf.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
        // JSON writes bytes as a list of numbers.
        if self.in_list {
            return Err(CellError::NotPlain);
        }
        let mut list = ListCell {
            buf: self.buf,
            first: true,
        };
        v.iter().try_for_each(|b| list.item(b))
    }
    fn serialize_none(self) -> Result<(), CellError> {
        self.null()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        self.null()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), CellError> {
        self.null()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), CellError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<ListCell<'a>, CellError> {
        if self.in_list {
            return Err(CellError::NotPlain);
        }
        Ok(ListCell {
            buf: self.buf,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ListCell<'a>, CellError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ListCell<'a>, CellError> {
        self.serialize_seq(Some(len))
    }
    not_plain_containers!();
}

macro_rules! not_text {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, _v: $ty) -> Result<(), CellError> {
            Err(CellError::NotPlain)
        }
    )*};
}

/// Captures a map key that is text.
struct KeyText<'a>(&'a mut String);

impl ser::Serializer for KeyText<'_> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Impossible<(), CellError>;
    type SerializeStructVariant = Impossible<(), CellError>;

    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        self.0.push_str(v);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), CellError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        value.serialize(self)
    }
    not_text!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_bytes: &[u8], serialize_unit_struct: &'static str
    );
    fn serialize_none(self) -> Result<(), CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, CellError> {
        Err(CellError::NotPlain)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, CellError> {
        Err(CellError::NotPlain)
    }
    not_plain_containers!();
}

#[cfg(test)]
mod tests {
    use super::{Cells, Columns};
    use serde::Serialize;
    use serde_json::{json, Value};

    /// The cell as the export wrote it from a `serde_json::Value` before this module.
    fn reference(value: Option<&Value>) -> String {
        match value {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Array(items))
                if items
                    .iter()
                    .all(|i| matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_))) =>
            {
                items
                    .iter()
                    .map(|i| reference(Some(i)))
                    .collect::<Vec<_>>()
                    .join(";")
            }
            Some(other) => other.to_string(),
        }
    }

    fn at_path<'v>(row: &'v Value, path: &str) -> Option<&'v Value> {
        path.split('.').try_fold(row, |v, key| v.get(key))
    }

    #[derive(Serialize)]
    struct Address {
        city: Option<String>,
        lines: Vec<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Person,
    }

    #[derive(Serialize)]
    struct Inner {
        name: String,
        address: Option<Address>,
        kind: Kind,
    }

    /// Fields out of alphabetical order: a JSON cell sorts them, as a `Value` does.
    #[derive(Serialize)]
    struct Line {
        sku: String,
        name: Option<String>,
    }

    #[derive(Serialize)]
    struct Row {
        #[serde(flatten)]
        inner: Inner,
        items: Vec<Line>,
        amount: i64,
        ratio: f64,
        nan: f64,
        small: f32,
        flag: bool,
        tags: Vec<String>,
        mixed: Vec<Option<i64>>,
        nested: Vec<Vec<i64>>,
        attributes: Value,
        none: Option<i64>,
        unit: (),
        pair: (i64, String),
    }

    const PATHS: &[&str] = &[
        "name",
        "address.city",
        "address.lines",
        "address.missing",
        "kind",
        "items",
        "amount",
        "ratio",
        "nan",
        "small",
        "flag",
        "tags",
        "mixed",
        "nested",
        "attributes",
        "attributes.plan",
        "attributes.deep.x",
        "none",
        "unit",
        "pair",
        "absent",
        "amount.below",
    ];

    fn check(row: &Row) {
        let columns = Columns::new(PATHS);
        let mut cells = Cells::new(&columns);
        cells.fill(&columns, row).unwrap();
        let value = serde_json::to_value(row).unwrap();
        let got: Vec<String> = cells
            .iter()
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        // "attributes.*" sit under the "attributes" leaf: a column under another column's
        // leaf is left out, so they are empty.
        let want: Vec<String> = PATHS
            .iter()
            .map(|p| {
                if p.starts_with("attributes.") || *p == "amount.below" {
                    String::new()
                } else {
                    reference(at_path(&value, p))
                }
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn cells_read_as_the_json_value_paths_did() {
        check(&Row {
            inner: Inner {
                name: "Ada; \"Lovelace\"".into(),
                address: Some(Address {
                    city: Some("London".into()),
                    lines: vec!["1 Main St".into(), "Flat 2".into()],
                }),
                kind: Kind::Person,
            },
            items: vec![Line {
                sku: "tea".into(),
                name: None,
            }],
            amount: -1_234,
            ratio: 0.1,
            nan: f64::NAN,
            small: 0.1,
            flag: true,
            tags: vec!["vip".into(), "b2b".into()],
            mixed: vec![Some(1), None],
            nested: vec![vec![1, 2]],
            attributes: json!({"plan": "gold", "deep": {"x": [1, "y", null]}}),
            none: None,
            unit: (),
            pair: (3, "x".into()),
        });
        check(&Row {
            inner: Inner {
                name: String::new(),
                address: None,
                kind: Kind::Person,
            },
            items: vec![],
            amount: i64::MAX,
            ratio: 1e21,
            nan: f64::INFINITY,
            small: 3.0,
            flag: false,
            tags: vec![],
            mixed: vec![],
            nested: vec![],
            attributes: json!("text"),
            none: Some(7),
            unit: (),
            pair: (0, String::new()),
        });
    }

    #[test]
    fn a_row_reused_buffer_forgets_the_last_rows_cells() {
        let columns = Columns::new(&["a", "b"]);
        let mut cells = Cells::new(&columns);
        cells
            .fill(&columns, &json!({"a": "first", "b": 1}))
            .unwrap();
        cells.fill(&columns, &json!({"b": 2})).unwrap();
        let got: Vec<&[u8]> = cells.iter().collect();
        assert_eq!(got, vec![&b""[..], &b"2"[..]]);
    }
}
