//! The unit algebra: pure values, no spans and no diagnostics.
//!
//! A quantity is an exact decimal in its dimension's base unit (a count in
//! itself, money in 元, a dimensionless number as a plain ratio) together
//! with the unit it is shown in. `4.34 %` is 0.0434 shown in `%`;
//! `95.3484万元` is 953484 元 shown in `万元`. Converting between money
//! units multiplies by an exact factor, so no operation but `/` can round.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use rust_decimal::Decimal;

/// What a unit measures. Quantities of different dimensions never mix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// A plain number, a ratio or a percentage.
    Dimensionless,
    /// A count of things of one kind: `件`, `人次`, or a declared `unit 篇`.
    Count(String),
    /// Money; every money unit converts into 元.
    Money,
}

/// A unit, shared: every computed value carries its unit, so cloning a
/// unit (or a value) only counts a reference, and a value stays small.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unit(Rc<UnitData>);

/// A unit's name, its dimension, and how many base units one of it is.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct UnitData {
    /// `件`, `万元`, `%`, or empty for a plain number.
    pub name: String,
    pub dimension: Dimension,
    /// The value of one of this unit in the dimension's base unit.
    pub factor: Decimal,
    /// Whether the factor is exactly 1 (scale 0): a base unit, in which a
    /// value is its own amount.
    base: bool,
}

impl std::ops::Deref for Unit {
    type Target = UnitData;

    fn deref(&self) -> &UnitData {
        &self.0
    }
}

impl Unit {
    fn new(name: &str, dimension: Dimension, factor: Decimal) -> Unit {
        Unit(Rc::new(UnitData {
            name: name.to_string(),
            dimension,
            factor,
            base: factor.serialize() == const { Decimal::ONE.serialize() },
        }))
    }

    /// The unit of plain numbers.
    pub fn none() -> Unit {
        thread_local! {
            static NONE: Unit = Unit::new("", Dimension::Dimensionless, Decimal::ONE);
        }
        NONE.with(Unit::clone)
    }

    pub fn count(name: &str) -> Unit {
        Unit::new(name, Dimension::Count(name.to_string()), Decimal::ONE)
    }

    pub fn money(name: &str, factor: Decimal) -> Unit {
        Unit::new(name, Dimension::Money, factor)
    }

    /// `unit 万人次 = 10000 人次`: a unit of `base`'s dimension, one of
    /// which is `amount` base units (`amount` already in base units).
    pub fn derived(name: &str, base: &Unit, amount: Decimal) -> Unit {
        Unit::new(name, base.dimension.clone(), amount)
    }

    pub fn is_count(&self) -> bool {
        matches!(self.dimension, Dimension::Count(_))
    }

    pub fn is_money(&self) -> bool {
        self.dimension == Dimension::Money
    }

    pub fn is_dimensionless(&self) -> bool {
        self.dimension == Dimension::Dimensionless
    }

    /// A count unit that is a multiple of another, like `万人次`.
    pub fn is_derived_count(&self) -> bool {
        self.is_count() && self.factor != Decimal::ONE
    }

    /// Whether `self` and `other` are the very same unit (one shared value).
    pub fn is(&self, other: &Unit) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Whether quantities in `self` and `other` can be added and compared.
    pub fn compatible(&self, other: &Unit) -> bool {
        // Most often the very same unit: no names to compare.
        Rc::ptr_eq(&self.0, &other.0) || self.dimension == other.dimension
    }

    /// How the unit is named in messages: `` `件` (a count) `` or "no unit".
    pub fn describe(&self) -> crate::diagnostics::Text {
        use crate::tr;
        let unit = &self.name;
        match (&self.dimension, unit.is_empty()) {
            (_, true) => tr!("no unit"),
            (Dimension::Money, false) => tr!("`{unit}` (money)", unit = unit),
            (Dimension::Count(_), false) => tr!("`{unit}` (a count)", unit = unit),
            (Dimension::Dimensionless, false) => tr!("`{unit}`", unit = unit),
        }
    }

    /// `amount` (in base units) expressed in this unit, if exact.
    pub fn in_this_unit(&self, amount: Decimal) -> Option<Decimal> {
        if self.factor == Decimal::ONE {
            return Some(amount);
        }
        let value = amount.checked_div(self.factor)?;
        (value.checked_mul(self.factor)? == amount).then_some(value)
    }

    /// A value written in this unit, in base units.
    #[inline]
    pub fn to_base(&self, value: Decimal) -> Option<Decimal> {
        // A base unit (most literals): multiplying by exactly 1 (scale 0)
        // would give `value` back, digits and scale alike.
        if self.base {
            return Some(value);
        }
        value.checked_mul(self.factor)
    }
}

/// Why two quantities cannot be combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitError {
    /// `+`, `-` or a comparison across dimensions.
    Mismatch,
    /// `*` of two quantities that both have a dimension, or `/` of a plain
    /// number by one.
    NotDimensionless,
}

/// The result unit of `lhs + rhs` or `lhs - rhs`: money takes the left-most
/// money unit, a plain number and a percentage give the left one.
pub fn add(lhs: &Unit, rhs: &Unit) -> Result<Unit, UnitError> {
    if lhs.compatible(rhs) {
        Ok(lhs.clone())
    } else {
        Err(UnitError::Mismatch)
    }
}

/// The result unit of `lhs * rhs`: one side must be dimensionless.
pub fn mul(lhs: &Unit, rhs: &Unit) -> Result<Unit, UnitError> {
    match (lhs.is_dimensionless(), rhs.is_dimensionless()) {
        (true, true) => Ok(Unit::none()),
        (false, true) => Ok(lhs.clone()),
        (true, false) => Ok(rhs.clone()),
        (false, false) => Err(UnitError::NotDimensionless),
    }
}

/// The result unit of `lhs / rhs`: a quantity divided by a plain number
/// keeps its unit; two quantities of one dimension give a ratio.
pub fn div(lhs: &Unit, rhs: &Unit) -> Result<Unit, UnitError> {
    if rhs.is_dimensionless() {
        Ok(if lhs.is_dimensionless() {
            Unit::none()
        } else {
            lhs.clone()
        })
    } else if lhs.compatible(rhs) {
        Ok(Unit::none())
    } else if lhs.is_dimensionless() {
        Err(UnitError::NotDimensionless)
    } else {
        Err(UnitError::Mismatch)
    }
}

/// `a * b`, or `None` when the exact product is out of range or needs more
/// than 28 digits after the point (rust_decimal would round it silently).
pub fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (a, b) = (a.normalize(), b.normalize());
    let scale = a.scale() + b.scale();
    if scale > 28 {
        return None;
    }
    let product = a.checked_mul(b)?;
    if product.scale() < scale && !b.is_zero() && product.checked_div(b)? != a {
        return None;
    }
    Some(product)
}

/// The units known to a report: the built-in ones and its own.
#[derive(Debug, Clone)]
pub struct Units {
    units: HashMap<String, Unit>,
}

/// The built-in count units (LANGUAGE.md §3).
pub const COUNT_UNITS: [&str; 13] = [
    "件", "条", "项", "次", "人", "人次", "个", "家", "户", "名", "份", "类", "天",
];

impl Default for Units {
    fn default() -> Self {
        let mut units = HashMap::default();
        for name in COUNT_UNITS {
            units.insert(name.to_string(), Unit::count(name));
        }
        units.insert("元".to_string(), Unit::money("元", Decimal::ONE));
        units.insert(
            "万元".to_string(),
            Unit::money("万元", Decimal::from(10_000)),
        );
        units.insert(
            "亿元".to_string(),
            Unit::money("亿元", Decimal::from(100_000_000)),
        );
        units.insert(
            "%".to_string(),
            Unit::new("%", Dimension::Dimensionless, Decimal::new(1, 2)),
        );
        Units { units }
    }
}

impl Units {
    pub fn get(&self, name: &str) -> Option<&Unit> {
        self.units.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.units.contains_key(name)
    }

    pub fn insert(&mut self, unit: Unit) {
        self.units.insert(unit.name.clone(), unit);
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.units.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str) -> Unit {
        Units::default()
            .get(name)
            .cloned()
            .unwrap_or_else(Unit::none)
    }

    #[test]
    fn counts_never_mix() {
        assert_eq!(add(&unit("件"), &unit("件")), Ok(unit("件")));
        assert_eq!(add(&unit("件"), &unit("人次")), Err(UnitError::Mismatch));
        assert_eq!(add(&unit("件"), &Unit::none()), Err(UnitError::Mismatch));
        assert_eq!(add(&unit("%"), &unit("件")), Err(UnitError::Mismatch));
    }

    #[test]
    fn money_takes_the_left_unit() {
        assert_eq!(add(&unit("万元"), &unit("元")), Ok(unit("万元")));
        assert_eq!(add(&unit("元"), &unit("亿元")), Ok(unit("元")));
    }

    #[test]
    fn ratios_are_dimensionless() {
        assert_eq!(div(&unit("件"), &unit("件")), Ok(Unit::none()));
        assert_eq!(div(&unit("万元"), &unit("元")), Ok(Unit::none()));
        assert_eq!(div(&unit("件"), &unit("人")), Err(UnitError::Mismatch));
        assert_eq!(
            div(&Unit::none(), &unit("件")),
            Err(UnitError::NotDimensionless)
        );
        assert_eq!(div(&unit("件"), &Unit::none()), Ok(unit("件")));
    }

    #[test]
    fn products_need_a_dimensionless_side() {
        assert_eq!(mul(&unit("元"), &unit("%")), Ok(unit("元")));
        assert_eq!(
            mul(&unit("件"), &unit("件")),
            Err(UnitError::NotDimensionless)
        );
    }

    #[test]
    fn products_are_exact_or_refused() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(exact_mul(d("1.5"), d("2")), Some(d("3.0")));
        assert_eq!(
            exact_mul(d("0.1234567890123456789012345678"), d("10")),
            Some(d("1.234567890123456789012345678"))
        );
        // 29 digits after the point would be rounded.
        assert_eq!(
            exact_mul(d("0.1234567890123456789012345678"), d("0.1")),
            None
        );
        // The mantissa would overflow 96 bits and be rounded.
        assert_eq!(
            exact_mul(
                d("1234567890.123456789012345678"),
                d("1234567890.123456789012345678")
            ),
            None
        );
        assert_eq!(exact_mul(d("79228162514264337593543950335"), d("2")), None);
    }

    #[test]
    fn derived_counts_are_counts_of_their_base() {
        let wan = Unit::derived("万人次", &unit("人次"), Decimal::from(10_000));
        assert!(wan.is_derived_count());
        assert!(!unit("人次").is_derived_count());
        assert_eq!(add(&wan, &unit("人次")), Ok(wan.clone()));
        assert_eq!(add(&wan, &unit("件")), Err(UnitError::Mismatch));
        assert_eq!(div(&wan, &unit("人次")), Ok(Unit::none()));
        let base = wan.to_base(Decimal::new(459, 1)).unwrap();
        assert_eq!(base, Decimal::from(459_000));
        assert_eq!(wan.in_this_unit(base), Some(Decimal::new(459, 1)));
    }

    #[test]
    fn money_converts_exactly() {
        let wan = unit("万元");
        let base = wan.to_base(Decimal::new(953484, 4)).unwrap();
        assert_eq!(base, Decimal::from(953484));
        assert_eq!(unit("元").in_this_unit(base), Some(Decimal::from(953484)));
        assert_eq!(wan.in_this_unit(base), Some(Decimal::new(953484, 4)));
        let percent = unit("%");
        assert_eq!(
            percent.to_base(Decimal::new(434, 2)),
            Some(Decimal::new(434, 4))
        );
    }
}
