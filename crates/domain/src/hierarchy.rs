//! Account hierarchies: a global account over its subsidiaries, as a tree
//! within one tenant. An account's parent may not be the account itself or
//! one of its descendants (a cycle), and a tree is at most
//! [`MAX_DEPTH`] levels deep, so that walking it up or down is bounded.

use crate::error::ValidationError;
use uuid::Uuid;

/// The most levels a hierarchy has (a root and nine levels below it).
pub const MAX_DEPTH: usize = 10;

/// Checks that `account` may get `parent`: `parent_chain` is the parent's
/// own chain up to its root (its parent first), `subtree_height` the levels
/// of `account`'s subtree (1 for an account without children).
pub fn check_parent(
    field: &str,
    account: Uuid,
    parent: Uuid,
    parent_chain: &[Uuid],
    subtree_height: usize,
) -> Result<(), ValidationError> {
    if parent == account {
        return Err(ValidationError::new(
            field,
            "an account cannot be its own parent",
        ));
    }
    if parent_chain.contains(&account) {
        return Err(ValidationError::new(
            field,
            "the parent is a subsidiary of this account: that would make a cycle",
        ));
    }
    // Levels above the account (the parent and its chain) plus its subtree.
    if parent_chain.len() + 1 + subtree_height > MAX_DEPTH {
        return Err(ValidationError::new(
            field,
            format!("a hierarchy is at most {MAX_DEPTH} levels deep"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::now_v7()).collect()
    }

    #[test]
    fn a_parent_above_in_another_branch_is_fine() {
        let [a, p, root] = ids(3).try_into().unwrap();
        assert!(check_parent("parentId", a, p, &[root], 1).is_ok());
        assert!(check_parent("parentId", a, root, &[], 3).is_ok());
    }

    #[test]
    fn itself_or_a_descendant_is_a_cycle() {
        let [a, child, grandchild] = ids(3).try_into().unwrap();
        let e = check_parent("parentId", a, a, &[], 1).unwrap_err();
        assert_eq!(e.field, "parentId");
        // The grandchild's chain runs up through the account.
        let e = check_parent("parentId", a, grandchild, &[child, a], 3).unwrap_err();
        assert!(e.message.contains("cycle"), "{e}");
    }

    #[test]
    fn the_tree_is_bounded_in_depth() {
        let a = Uuid::now_v7();
        let chain = ids(MAX_DEPTH - 2);
        let parent = Uuid::now_v7();
        // parent + its 8 ancestors + the account itself: 10 levels.
        assert!(check_parent("parentId", a, parent, &chain, 1).is_ok());
        let e = check_parent("parentId", a, parent, &chain, 2).unwrap_err();
        assert!(e.message.contains("levels"), "{e}");
    }
}
