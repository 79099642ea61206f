//! `schema.graphql` is what the code generates.

#[test]
fn schema_graphql_is_in_sync_with_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let on_disk = std::fs::read_to_string(&path).expect("read schema.graphql");
    let generated = steward_api::graphql::sdl();
    assert!(
        on_disk == generated,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql`"
    );
}
