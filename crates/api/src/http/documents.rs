//! The parsed-document cache: documents by text and operation name, checked
//! once, validated once, and compiled for the fast read path when they can be.

use super::*;

/// A parsed document and what is known about it.
#[derive(Clone)]
pub(super) struct CachedDocument {
    pub(super) doc: Arc<async_graphql::parser::types::ExecutableDocument>,
    pub(super) op_type: Option<OperationType>,
    /// Only `__schema` / `__type` / `__typename` at the root.
    pub(super) introspection: bool,
    /// Passed full validation once (validation does not depend on variables
    /// beyond what the fast checks and execution still verify).
    pub(super) validated: bool,
    /// The compiled read path for this document, once validated.
    pub(super) compiled: Compiled,
}

/// Whether and how a document runs on the compiled read path.
#[derive(Clone)]
pub(super) enum Compiled {
    /// Not (yet) validated, or it selects what the compiled path does not read.
    No,
    Plan(Arc<crate::fast::Plan>),
    /// Its `@include`/`@skip` conditions are variables: compiled per request.
    PerRequest,
}

/// A bounded (LRU) cache of parsed documents keyed by query text and
/// operation name: repeated queries skip parsing and full validation.
pub struct DocumentCache {
    /// `None` when the cache is configured off (size 0).
    pub(super) entries: Option<std::sync::Mutex<DocumentLru>>,
}

impl DocumentCache {
    pub fn new(size: usize) -> Self {
        Self {
            entries: std::num::NonZeroUsize::new(size)
                .map(|n| std::sync::Mutex::new(lru::LruCache::new(n))),
        }
    }

    pub(super) fn get(&self, query: &str, op: Option<&str>) -> Option<CachedDocument> {
        let mut m = self.entries.as_ref()?.lock().ok()?;
        // Borrowed lookup would need a custom key type; the clone is small next to a parse.
        m.get(&(query.to_owned(), op.map(str::to_owned))).cloned()
    }

    pub(super) fn put(&self, query: String, op: Option<String>, entry: CachedDocument) {
        if let Some(Ok(mut m)) = self.entries.as_ref().map(|e| e.lock()) {
            m.put((query, op), entry);
        }
    }

    pub(super) fn mark_validated(&self, query: &str, op: Option<&str>) {
        if let Some(Ok(mut m)) = self.entries.as_ref().map(|e| e.lock())
            && let Some(e) = m.get_mut(&(query.to_owned(), op.map(str::to_owned)))
        {
            e.validated = true;
            e.compiled = match crate::fast::compile(&e.doc, op, None) {
                Ok(plan) => Compiled::Plan(Arc::new(plan)),
                Err(crate::fast::NotCompiled::PerRequest) => Compiled::PerRequest,
                Err(crate::fast::NotCompiled::Unsupported) => Compiled::No,
            };
        }
    }
}

/// Gives each variable the request left out its declared default, as the
/// spec's CoerceVariableValues does. async-graphql applies defaults where a
/// resolver reads a variable, but evaluates `@include`/`@skip` on the
/// variables as sent (an omitted `$x: Boolean = true` counted as false);
/// with the defaults filled in, both paths see what the spec says.
pub(super) fn fill_variable_defaults(
    doc: &async_graphql::parser::types::ExecutableDocument,
    op_name: Option<&str>,
    variables: &mut Variables,
) {
    use async_graphql::parser::types::DocumentOperations;
    let op = match (&doc.operations, op_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    for v in op.into_iter().flat_map(|op| &op.node.variable_definitions) {
        if let Some(default) = &v.node.default_value
            && !variables.contains_key(&v.node.name.node)
        {
            variables.insert(v.node.name.node.clone(), default.node.clone());
        }
    }
}
