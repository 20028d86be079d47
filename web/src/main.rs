use yew::prelude::*;

#[function_component(App)]
fn app() -> Html {
    html! { <main><h1>{ "API Gateway playground" }</h1></main> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
