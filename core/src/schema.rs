//! The JSON Schema of what the funnel endpoint receives (`schema/events.schema.json`),
//! generated from the event types so the two cannot drift.

use crate::event_queue::KagoBatch;
use schemars::generate::SchemaSettings;
use schemars::transform::RestrictFormats;

/// Where the published schema lives; also its `$id`.
pub const SCHEMA_ID: &str = "https://kago.example/schema/events-1.json";

/// The batch schema as committed: pretty JSON with a trailing newline.
pub fn events_schema_text() -> String {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        // Only the formats JSON Schema defines (`date-time`), not schemars's `uint32` and the
        // like, which strict validators (ajv) reject as unknown.
        .with_transform(RestrictFormats::default())
        .into_generator();
    let mut schema = generator.into_root_schema_for::<KagoBatch>();
    schema.insert("$id".into(), SCHEMA_ID.into());
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    format!("{text}\n")
}
