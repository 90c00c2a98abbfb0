//! The profile photo: what WhatsApp shows now, a preview of the chosen file, upload (JPEG
//! or PNG, checked on the server by its bytes) and delete.

use leptos::prelude::*;

use crate::api::projects::profile::{DeletePhoto, get_photo, upload_photo};
use crate::components::{CsrfField, FormState, FormStatus, PanelError};

const CURRENT_PHOTO: &str = "h-24 w-24 rounded-full object-cover ring-1 ring-slate-200";
const CHOSEN_PHOTO: &str = "h-24 w-24 rounded-full object-cover ring-2 ring-amber-400";

#[component]
pub fn PhotoPanel(project_id: i64, can_edit: bool) -> impl IntoView {
    let delete = ServerAction::<DeletePhoto>::new();
    let deleted = FormState::new(move || delete.value().get());
    #[cfg(feature = "hydrate")]
    let upload = Action::new_local(|data: &web_sys::FormData| upload_photo(data.clone().into()));
    #[cfg(not(feature = "hydrate"))]
    let upload = Action::new(|_: &()| async {
        Err::<(), crate::error::AppError>(crate::error::AppError::Internal)
    });
    let _ = upload_photo;
    let uploaded = FormState::new(move || upload.value().get());
    let photo = Resource::new(
        move || (delete.version().get(), upload.version().get()),
        move |_| get_photo(project_id),
    );
    let preview = RwSignal::new(None::<String>);
    let csrf = crate::components::form::csrf_token();
    view! {
        <div class="card max-w-3xl mb-4" role="group" aria-label="Profile photo">
            <p class="text-sm font-medium text-slate-700 mb-2">"Profile photo"</p>
            <div class="flex items-start gap-6">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match photo.await {
                            Ok(Some(src)) => {
                                view! {
                                    <img src=src alt="Current profile photo" class=CURRENT_PHOTO />
                                }
                                    .into_any()
                            }
                            Ok(None) => {
                                view! { <p class="text-sm text-slate-500 w-24">"No photo yet."</p> }
                                    .into_any()
                            }
                            Err(e) => view! { <PanelError error=e /> }.into_any(),
                        }
                    })}
                </Suspense>
                {move || {
                    preview
                        .get()
                        .map(|src| {
                            view! {
                                <img
                                    src=src
                                    alt="Chosen photo (not saved yet)"
                                    class=CHOSEN_PHOTO
                                />
                            }
                        })
                }}
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <form
                            method="post"
                            enctype="multipart/form-data"
                            action=format!("/api/upload_photo?csrf={csrf}")
                            class="inline-form mt-4"
                            on:submit=move |ev| {
                                #[cfg(feature = "hydrate")]
                                {
                                    use wasm_bindgen::JsCast;
                                    ev.prevent_default();
                                    let form = ev
                                        .target()
                                        .and_then(|t| {
                                            t.dyn_into::<web_sys::HtmlFormElement>().ok()
                                        });
                                    if let Some(data) = form
                                        .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
                                    {
                                        upload.dispatch_local(data);
                                    }
                                }
                                let _ = &ev;
                            }
                        >
                            <input type="hidden" name="project_id" value=project_id />
                            <div class="field">
                                <label for="photo-file">
                                    "New photo (JPEG or PNG, square, at least 192×192)"
                                </label>
                                <input
                                    id="photo-file"
                                    type="file"
                                    name="photo"
                                    accept="image/jpeg,image/png"
                                    required=true
                                    on:change=move |ev| {
                                        #[cfg(feature = "hydrate")]
                                        {
                                            preview.set(chosen_file_url(&ev));
                                        }
                                        let _ = &ev;
                                    }
                                />
                            </div>
                            <button
                                type="submit"
                                class="btn-small"
                                disabled=move || upload.pending().get()
                            >
                                "Upload photo"
                            </button>
                            <FormStatus state=uploaded success="Profile photo saved." />
                        </form>
                        // Only a photo that is there can be deleted.
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                photo
                                    .await
                                    .ok()
                                    .flatten()
                                    .map(|_| {
                                        view! {
                                            <details class="mt-3">
                                                <summary class="link cursor-pointer">
                                                    "Delete photo…"
                                                </summary>
                                                <ActionForm action=delete attr:class="mt-2">
                                                    <CsrfField />
                                                    <input type="hidden" name="project_id" value=project_id />
                                                    <p class="text-sm mb-2">
                                                        "Customers will see the default avatar "
                                                        "until a new photo is uploaded."
                                                    </p>
                                                    <button type="submit" class="btn-danger">
                                                        "Delete the profile photo"
                                                    </button>
                                                </ActionForm>
                                            </details>
                                        }
                                    })
                            })}
                        </Suspense>
                        <FormStatus state=deleted success="Profile photo deleted." />
                    }
                })}
        </div>
    }
    .into_any()
}

/// A local URL for the file chosen in the input that sent `ev`, to preview it.
#[cfg(feature = "hydrate")]
fn chosen_file_url(ev: &leptos::ev::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    web_sys::Url::create_object_url_with_blob(&file).ok()
}
