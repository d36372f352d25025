//! Prints the funnel events' JSON Schema, generated from the types:
//! `cargo run -p kago-core --features schema --example events-schema > schema/events.schema.json`
fn main() {
    print!("{}", kago_core::schema::events_schema_text());
}
