//! `kago.d.ts` (shipped beside the widget) declares every `kago:*` event the page receives.
//! Native: it reads the file and the core's event types, no browser needed.
#![cfg(not(target_arch = "wasm32"))]

use kago_core::events::EventType;

#[test]
fn kago_d_ts_declares_every_event_the_page_receives() {
    let dts = include_str!("../src/browser/kago.d.ts");
    let union = dts
        .split("export type KagoEventName =")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("KagoEventName in kago.d.ts");
    let names: Vec<&str> = EventType::all()
        .map(EventType::name)
        .chain(["ready"])
        .collect();
    for name in &names {
        assert!(
            union.contains(&format!("\"{name}\"")),
            "KagoEventName lacks {name}"
        );
        assert!(
            dts.contains(&format!("\"kago:{name}\": CustomEvent<")),
            "WindowEventMap lacks kago:{name}"
        );
    }
    let declared = union.matches('"').count() / 2;
    assert_eq!(
        declared,
        names.len(),
        "KagoEventName names an event Kago never sends"
    );
}
