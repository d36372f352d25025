//! `kago.d.ts` (shipped beside the widget and in the npm package) declares every `kago:*` event
//! the page receives, and each funnel event's `detail` with the fields, optionality and types of
//! `schema/events.schema.json` (itself generated from the core's event types). Native: it reads
//! the two files and the core's event types, no browser needed.
#![cfg(not(target_arch = "wasm32"))]

use kago_core::events::EventType;
use serde_json::Value;
use std::collections::BTreeMap;

const DTS: &str = include_str!("../src/browser/kago.d.ts");

/// The events only the page gets (not funnel events).
const PAGE_ONLY: [&str; 2] = ["ready", "cart_changed"];

/// The body of `interface KagoEventMap { … }`.
fn event_map() -> &'static str {
    DTS.split("export interface KagoEventMap {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .expect("interface KagoEventMap in kago.d.ts")
}

/// The map's entries: name → the rest of its line.
fn entries() -> BTreeMap<&'static str, &'static str> {
    event_map()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .filter_map(|l| l.split_once(": "))
        .collect()
}

/// `{ a: string; b?: number }` → a → (optional, "string"), b → (true, "number").
fn fields(object: &str) -> BTreeMap<String, (bool, String)> {
    let inner = object.trim().trim_start_matches('{').trim_end_matches('}');
    inner
        .split(';')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| {
            let (name, ty) = f.split_once(':').expect("field: type");
            let optional = name.ends_with('?');
            (
                name.trim_end_matches('?').trim().to_string(),
                (optional, ty.trim().to_string()),
            )
        })
        .collect()
}

/// The TypeScript type a schema property must have.
fn ts_type(property: &Value, defs: &Value) -> String {
    if let Some(reference) = property["$ref"].as_str() {
        let def = &defs[reference.trim_start_matches("#/$defs/")];
        let values: Vec<String> = match def["enum"].as_array() {
            Some(values) => values.iter().map(|v| format!("{v}")).collect(),
            None => def["oneOf"]
                .as_array()
                .expect("an enum or oneOf of consts")
                .iter()
                .map(|v| format!("{}", v["const"]))
                .collect(),
        };
        return values.join(" | ");
    }
    let one = |t: &str| match t {
        "integer" | "number" => "number".to_string(),
        "null" => "null".to_string(),
        other => other.to_string(),
    };
    match &property["type"] {
        Value::String(t) => one(t),
        Value::Array(types) => types
            .iter()
            .map(|t| one(t.as_str().expect("a type name")))
            .collect::<Vec<_>>()
            .join(" | "),
        other => panic!("unexpected schema type {other}"),
    }
}

#[test]
fn kago_d_ts_declares_every_event_the_page_receives() {
    let declared = entries();
    let names: Vec<&str> = EventType::all()
        .map(EventType::name)
        .chain(PAGE_ONLY)
        .collect();
    for name in &names {
        assert!(declared.contains_key(name), "KagoEventMap lacks {name}");
        assert!(
            DTS.contains(&format!(
                "\"kago:{name}\": CustomEvent<KagoEventMap[\"{name}\"]>;"
            )),
            "WindowEventMap lacks kago:{name}"
        );
    }
    assert_eq!(
        declared.len(),
        names.len(),
        "KagoEventMap names an event Kago never sends: {:?}",
        declared
            .keys()
            .filter(|k| !names.contains(k))
            .collect::<Vec<_>>()
    );
}

#[test]
fn each_funnel_event_detail_has_the_schemas_fields() {
    let schema: Value =
        serde_json::from_str(include_str!("../schema/events.schema.json")).expect("the schema");
    let defs = &schema["$defs"];
    let declared = entries();
    let kinds = defs["Event"]["oneOf"].as_array().expect("Event.oneOf");
    assert_eq!(kinds.len(), EventType::all().count());
    for kind in kinds {
        let name = kind["properties"]["type"]["const"]
            .as_str()
            .expect("type const");
        let line = declared
            .get(name)
            .unwrap_or_else(|| panic!("KagoEventMap lacks {name}"));
        let prefix = format!("KagoFunnelDetail<\"{name}\", ");
        let object = line
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(">;"))
            .unwrap_or_else(|| panic!("{name}: {line} is not {prefix}{{ … }}>;"));
        let required: Vec<&str> = kind["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let expected: BTreeMap<String, (bool, String)> = kind["properties"]
            .as_object()
            .expect("properties")
            .iter()
            .filter(|(field, _)| *field != "type")
            .map(|(field, property)| {
                (
                    field.clone(),
                    (!required.contains(&field.as_str()), ts_type(property, defs)),
                )
            })
            .collect();
        assert_eq!(
            fields(object),
            expected,
            "kago.d.ts's {name} detail against the schema: (optional, type) per field"
        );
    }
}
