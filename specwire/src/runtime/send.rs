//! The `send_*` functions generated `send` methods return: each sends the prepared request,
//! maps an error status to an error, and decodes a success body of its kind. Generic over
//! the error type, so that an SDK's operations return its own (`E: From<Error>`).

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::transport::dispatch;
use super::{FromHeaders, Prepared, ReadResponse, read};
use crate::error::map_transport_error;
use crate::error::{DecodeError, Error};
use crate::{RawResponse, Response};

/// The body of a sent request's response (what generated `send` methods return).
///
/// # Errors
/// Those of `response`.
pub async fn body_of<T, H, E>(
    response: impl std::future::Future<Output = Result<Response<T, H>, E>>,
) -> Result<T, E> {
    response.await.map(Response::into_body)
}

/// Sends `request` and decodes a JSON success body as `T`.
///
/// # Errors
/// [`Error`] when building, sending, the status or decoding fails.
pub async fn send_json<T: DeserializeOwned, H: FromHeaders, E: From<Error>>(
    prepared: Prepared,
) -> Result<Response<T, H>, E> {
    async {
        let (client, request) = prepared?;
        read(&client, request).await?.check_status()?.decode()
    }
    .await
    .map_err(E::from)
}

/// Sends `request` for an operation whose success statuses differ in having a body (e.g. 200
/// with one, 204 without): `None` when the response has none.
///
/// # Errors
/// As [`send_json`].
pub async fn send_optional_json<T: DeserializeOwned, H: FromHeaders, E: From<Error>>(
    prepared: Prepared,
) -> Result<Response<Option<T>, H>, E> {
    optional_json(prepared).await.map_err(E::from)
}

async fn optional_json<T: DeserializeOwned, H: FromHeaders>(
    prepared: Prepared,
) -> Result<Response<Option<T>, H>, Error> {
    let (client, request) = prepared?;
    let response = read(&client, request).await?.check_status()?;
    let empty = response.enveloped.as_ref().map_or_else(
        || response.body.iter().all(u8::is_ascii_whitespace),
        serde_json::Value::is_null,
    );
    if empty || response.status == StatusCode::NO_CONTENT {
        return Ok(Response::new(response.status, response.headers, None));
    }
    response.decode::<T, H>().map(|r| r.map_body(Option::Some))
}

/// Sends `request` and returns a text success body (e.g. `+csv`) whole.
///
/// # Errors
/// As [`send_json`]; a body that is not UTF-8 is a decode error.
pub async fn send_text<H: FromHeaders, E: From<Error>>(
    prepared: Prepared,
) -> Result<Response<String, H>, E> {
    text(prepared).await.map_err(E::from)
}

async fn text<H: FromHeaders>(prepared: Prepared) -> Result<Response<String, H>, Error> {
    let (client, request) = prepared?;
    let response = read(&client, request).await?.check_status()?;
    match String::from_utf8(response.body.to_vec()) {
        Ok(text) => Ok(Response::new(response.status, response.headers, text)),
        Err(e) => Err(Error::Decode(Box::new(DecodeError {
            operation_id: response.operation.operation_id,
            status: response.status,
            headers: response.headers,
            path: ".".to_owned(),
            message: format!("the text body is not UTF-8: {e}"),
            body: response.body,
        }))),
    }
}

/// Sends `request` for an operation whose success response has no body.
///
/// # Errors
/// As [`send_json`], without decoding.
pub async fn send_empty<H: FromHeaders, E: From<Error>>(
    prepared: Prepared,
) -> Result<Response<(), H>, E> {
    async {
        let (client, request) = prepared?;
        let response = read(&client, request).await?.check_status()?;
        Ok(Response::new(response.status, response.headers, ()))
    }
    .await
    .map_err(E::from)
}

/// Sends `request` and returns a success response undecoded and unread, ready to stream.
/// Error statuses still become [`Error`]s, with the body read to decode them.
///
/// # Errors
/// As [`send_json`], except that a success body is not read.
pub async fn send_raw<E: From<Error>>(prepared: Prepared) -> Result<RawResponse, E> {
    raw(prepared).await.map_err(E::from)
}

pub(super) async fn raw(prepared: Prepared) -> Result<RawResponse, Error> {
    let (client, request) = prepared?;
    let operation = request.operation;
    let response = dispatch(&client, &request).await?;
    if operation.is_success(response.status()) {
        return Ok(RawResponse::new(response));
    }
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(map_transport_error)?;
    Err(ReadResponse {
        operation,
        status,
        headers,
        body,
        enveloped: None,
    }
    .into_error())
}
