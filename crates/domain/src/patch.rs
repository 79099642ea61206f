//! Partial updates: an absent field leaves the value unchanged, an explicit
//! `null` clears it, a value sets it.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// The field was not given: keep the current value.
    #[default]
    Unchanged,
    /// The field was given as `null`: clear the value.
    Clear,
    /// The field was given: set the value.
    Set(T),
}

impl<T> Patch<T> {
    /// Parses the value inside, keeping absent/null as they are.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Patch<U>, E> {
        Ok(match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)?),
        })
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)),
        }
    }

    /// Applies the patch to an optional value.
    pub fn apply_to(self, current: &mut Option<T>) {
        match self {
            Patch::Unchanged => {}
            Patch::Clear => *current = None,
            Patch::Set(v) => *current = Some(v),
        }
    }

    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_keeps_null_clears_value_sets() {
        let mut v = Some(1);
        Patch::Unchanged.apply_to(&mut v);
        assert_eq!(v, Some(1));
        Patch::Set(2).apply_to(&mut v);
        assert_eq!(v, Some(2));
        Patch::<i32>::Clear.apply_to(&mut v);
        assert_eq!(v, None);
    }
}
