//! The playground: one request through all five integration types, side by side.
//! See docs/playground.md for the URL format, embedding and the measured performance.

mod browser;
mod components;
mod compute;
mod presets;
mod state;
mod url_state;

fn main() {
    browser::mark("app:wasm-started");
    yew::Renderer::<components::app::App>::new().render();
}
