//! The example app's entry: in the browser it mounts [`app::App`] on `<body>` (build it with
//! Trunk or any Leptos setup: `kago-checkout` is an ordinary dependency); natively (an SSR
//! server's build, `cargo check`, rust-analyzer) the same code compiles, and `<Kago/>` renders
//! nothing.

mod app;

fn main() {
    #[cfg(target_arch = "wasm32")]
    leptos::mount::mount_to_body(app::App);
    #[cfg(not(target_arch = "wasm32"))]
    {
        use leptos::prelude::*;
        // The app's view built natively: Kago's handle holds the empty cart.
        let owner = Owner::new();
        owner.with(|| {
            let _view = app::App();
        });
        println!("The example app compiles natively; run it in a browser (wasm32) to see Kago.");
    }
}
