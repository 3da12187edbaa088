//! What a host lends to the deserializers instead of converting: a call's
//! arguments as the host holds them ([`ArgSource`]), and what it lends of one
//! ([`Lent`], [`Field`]). `Args` reads a call through it, and
//! `value::de::StructAccess` reads a struct's fields from it one by one.

use super::{FunctionId, Value};

/// A call's arguments as a host holds them, for [`Args::lent`](crate::Args::lent): what a host
/// implements to let the generated code decode straight from its engine's values.
///
/// `value` is the host's one conversion (its rules: sizes, depth, functions,
/// `toJSON`); `lend` and `lend_field` are fast paths that must agree with it:
/// `lend` lends argument `index` when it is a string or a primitive whose
/// conversion is exactly that, `lend_field` one property of an object argument
/// on the same terms (so a struct is read field by field, never converted).
///
/// ```
/// use wx_core::{schema, ArgSource, Args, Lent, Value};
///
/// /// Arguments a host holds as Rust strings.
/// struct Strings(Vec<String>);
///
/// impl ArgSource for Strings {
///     fn len(&self) -> usize {
///         self.0.len()
///     }
///     fn lend(&mut self, index: usize) -> Option<Lent<'_>> {
///         self.0.get(index).map(|s| Lent::Str(s))
///     }
///     fn value(&mut self, index: usize) -> Result<Value, String> {
///         Ok(self.0.get(index).map_or(Value::Undefined, |s| Value::from(s.as_str())))
///     }
/// }
///
/// let mut source = Strings(vec!["key-1".into()]);
/// let mut args = Args::lent(&mut source);
/// let key: String = args.decode(0, "key", schema::input::<String>).unwrap();
/// assert_eq!(key, "key-1");
/// // A failure reads the converted value and explains it with the schema.
/// let err = args.decode::<u32>(0, "key", schema::input::<u32>).unwrap_err();
/// assert_eq!(err.reason(), "parameter error: parameter.key should be Number instead of String;");
/// ```
pub trait ArgSource {
    /// How many arguments the call was given.
    fn len(&self) -> usize;
    /// Whether the call was given no argument.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Argument `index` if it is a string (lent in place), a primitive
    /// (`undefined`, `null`, a boolean, a number) or a function (by the id its
    /// conversion would give it); `None` for anything else, including what the
    /// host would convert differently.
    fn lend(&mut self, index: usize) -> Option<Lent<'_>>;
    /// Argument `index` converted to a `Value` (`undefined` past the end); the
    /// error says why it could not be (too large, nested too deep).
    fn value(&mut self, index: usize) -> Result<Value, String>;
    /// Own enumerable property `key` of argument `index`, for a struct read in
    /// place and for an async call's callbacks: [`Field::Lent`] if it is a
    /// string, a primitive or a function [`ArgSource::lend`] would lend,
    /// [`Field::Absent`] if the object has no such property, and
    /// [`Field::NotLent`] for anything its conversion would treat otherwise:
    /// the argument is not a plain object (or has a `toJSON`), or the property
    /// is an accessor or holds an object or an array. After a `NotLent`, the
    /// argument is asked for whole with [`ArgSource::value`].
    ///
    /// Only the fields the type declares are asked for, so properties it does not
    /// declare are never read (`#[serde(deny_unknown_fields)]` is honoured only
    /// when a value is converted whole). Keys are `'static` (serde's field
    /// names, the callbacks' names): a host may keep what it derives from one,
    /// such as its engine's atom, for the next call. The default lends nothing.
    fn lend_field(&mut self, index: usize, key: &'static str) -> Field<'_> {
        let _ = (index, key);
        Field::NotLent
    }
}

/// What [`ArgSource::lend_field`] found.
#[derive(Debug)]
pub enum Field<'a> {
    /// No own enumerable property by that name: the field is absent.
    Absent,
    /// The property's value, lent.
    Lent(Lent<'a>),
    /// Not readable in place: the argument is converted whole instead.
    NotLent,
}

/// An argument a host lends without converting it (see [`ArgSource::lend`]).
#[derive(Debug)]
pub enum Lent<'a> {
    /// A string, in the engine's own memory.
    Str(&'a str),
    /// `undefined`, `null`, a boolean or a number (no allocation).
    Primitive(Value),
    /// A function, by the id the host's conversion would give it (registered
    /// as [`ArgSource::value`] registers it: an async call's `success`).
    Function(FunctionId),
}
