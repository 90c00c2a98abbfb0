//! The browser-side client for every server function: the default fetch client plus the
//! session's CSRF token in the `x-csrf-token` header. (Plain HTML form posts, without
//! JavaScript, carry the same token as the hidden `csrf` field instead.)

use futures::{Sink, Stream};
use leptos::server_fn::client::{Client, browser::BrowserClient};
use leptos::server_fn::error::FromServerFnError;
use leptos::server_fn::request::browser::BrowserRequest;
use leptos::server_fn::response::browser::BrowserResponse;
use std::future::Future;

pub struct CsrfClient;

impl<E, IS, OS> Client<E, IS, OS> for CsrfClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        req.headers()
            .append("x-csrf-token", &crate::components::form::csrf_token());
        <BrowserClient as Client<E, IS, OS>>::send(req)
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl Stream<Item = Result<leptos::server_fn::Bytes, leptos::server_fn::Bytes>>
                + Send
                + 'static,
                impl Sink<leptos::server_fn::Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}
