//! `products`.

use super::object::Product;
use crate::graphql::loaders;
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct WhiteSpaceQuery;

/// Queries about the product catalogue.
#[Object]
impl WhiteSpaceQuery {
    /// The tenant's catalogue of products and services, by name
    /// (case-insensitive, bytewise on the lowercase name).
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Also list inactive products (default false).")] include_inactive: Option<
            bool,
        >,
    ) -> Result<Vec<Product>> {
        let all = include_inactive.unwrap_or(false);
        let catalogue = loaders(ctx)?.white_space().catalogue().await?;
        Ok(catalogue
            .products
            .iter()
            .filter(|p| all || p.active)
            .cloned()
            .map(Product)
            .collect())
    }
}
