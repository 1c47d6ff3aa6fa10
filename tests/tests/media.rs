//! Every media type an operation answers in is typed and reachable (`tests/fixtures/media.yaml`,
//! shaped like an AI API): a chat completion as JSON through `send()` and as server-sent
//! events through `send_events()`, speech as MP3 or WAV bytes, a log as JSON, JSON lines or
//! text. Each method asks for its type with `Accept`; an in-process server answers by it,
//! byte for byte. A request body offered as JSON, a form and multipart is typed in each, and
//! documented error bodies decode as their schemas.

use atlas_sdk_tests::fixtures::media::{
    self, audio::Audio, chat::Chat, files::Files, logs::Logs, models,
};
use futures_util::TryStreamExt as _;
use specwire::Client;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

fn client(server: &MockServer) -> Client {
    support::local(media::client_builder(), &server.uri())
}

/// A server that answers `path_` with `body` as `media_type` when asked for it.
async fn answer(server: &MockServer, path_: &str, media_type: &str, body: &'static [u8]) {
    Mock::given(path(path_))
        .and(header("accept", media_type))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, media_type))
        .mount(server)
        .await;
}

fn completion_request(stream: bool) -> models::CreateChatCompletionRequest {
    // Required properties are the constructor's arguments, in name order.
    models::CreateChatCompletionRequest::new(
        vec![models::Message::new("Say hi", "user")],
        "model-1",
    )
    .with_stream(stream)
}

#[tokio::test]
async fn a_chat_completion_is_json_through_send_and_typed_events_through_send_events() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/chat/completions",
        "application/json",
        br#"{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"}}]}"#,
    )
    .await;
    answer(
        &server,
        "/chat/completions",
        "text/event-stream",
        b"data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"}}]}\n\ndata: [DONE]\n\n",
    )
    .await;
    let chat = Chat::new(client(&server));

    let whole = chat
        .create_chat_completion(completion_request(false))
        .send()
        .await
        .expect("the JSON completion");
    assert_eq!(whole.id, "c1");
    assert_eq!(whole.choices[0].message.content, "Hi!");

    let events = chat
        .create_chat_completion(completion_request(true))
        .send_events()
        .await
        .expect("the stream opens");
    let chunks: Vec<models::CreateChatCompletionStreamResponse> = events
        .map_ok(|event| event.data)
        .try_collect()
        .await
        .expect("every chunk decodes, and `[DONE]` ends the stream");
    assert_eq!(chunks.len(), 2);
    let text: String = chunks
        .iter()
        .filter_map(|c| c.choices[0].delta.content.clone())
        .collect();
    assert_eq!(text, "Hi!");

    let requests = server.received_requests().await.unwrap_or_default();
    let sent: Vec<(Option<&[u8]>, serde_json::Value)> = requests
        .iter()
        .map(|r| {
            (
                r.headers.get("accept").map(|v| v.as_bytes()),
                serde_json::from_slice(&r.body).unwrap_or_default(),
            )
        })
        .collect();
    let body = |stream: bool| serde_json::json!({"model": "model-1", "messages": [{"role": "user", "content": "Say hi"}], "stream": stream});
    assert_eq!(
        sent,
        [
            (Some(&b"application/json"[..]), body(false)),
            (Some(&b"text/event-stream"[..]), body(true)),
        ]
    );
}

#[tokio::test]
async fn speech_is_bytes_in_either_documented_format() {
    let server = MockServer::start().await;
    answer(&server, "/audio/speech", "audio/mpeg", b"ID3\x04mp3 bytes").await;
    answer(
        &server,
        "/audio/speech",
        "audio/wav",
        b"RIFF\x24\x00wav bytes",
    )
    .await;
    let audio = Audio::new(client(&server));
    let mp3 = audio
        .create_speech(models::CreateSpeechBody::new("Hello"))
        .send()
        .await
        .expect("MP3")
        .bytes()
        .await
        .expect("read whole");
    assert_eq!(&mp3[..], b"ID3\x04mp3 bytes");
    let wav = audio
        .create_speech(models::CreateSpeechBody::new("Hello"))
        .send_wav()
        .await
        .expect("WAV")
        .bytes()
        .await
        .expect("read whole");
    assert_eq!(&wav[..], b"RIFF\x24\x00wav bytes");
}

#[tokio::test]
async fn a_log_is_json_json_lines_or_text() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/logs",
        "application/json",
        br#"[{"at":"t1","text":"one"},{"at":"t2","text":"two"}]"#,
    )
    .await;
    answer(
        &server,
        "/logs",
        "application/x-ndjson",
        b"{\"at\":\"t1\",\"text\":\"one\"}\n{\"at\":\"t2\",\"text\":\"two\"}\n",
    )
    .await;
    answer(&server, "/logs", "text/plain", b"t1 one\nt2 two\n").await;
    let logs = Logs::new(client(&server));
    let whole = logs.list_logs().send().await.expect("JSON");
    let lines: Vec<models::LogLine> = logs
        .list_logs()
        .send_lines()
        .await
        .expect("the stream opens")
        .try_collect()
        .await
        .expect("every line decodes");
    assert_eq!(whole, lines);
    assert_eq!(
        lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        ["one", "two"]
    );
    let text = logs.list_logs().send_plain().await.expect("text");
    assert_eq!(text, "t1 one\nt2 two\n");
}

/// A server that answers `POST /files` with a created file record when the request has the
/// `content_type` and exactly `body`.
async fn expect_upload(server: &MockServer, content_type: &str, body: &str) {
    Mock::given(method("POST"))
        .and(path("/files"))
        .and(header("content-type", content_type))
        .and(body_string(body))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"name": "a.txt", "size": 3})),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_body_offered_as_json_a_form_and_multipart_is_typed_in_each() {
    let server = MockServer::start().await;
    let meta = || models::FileMeta::new("a.txt", 3);
    expect_upload(&server, "application/json", r#"{"name":"a.txt","size":3}"#).await;
    expect_upload(
        &server,
        "application/x-www-form-urlencoded",
        "name=a.txt&size=3",
    )
    .await;
    let files = Files::new(client(&server));
    let created = files.create_file(meta()).send().await.expect("JSON");
    assert_eq!((created.name.as_str(), created.size), ("a.txt", 3));
    files
        .create_file(meta())
        .body_form(meta())
        .send()
        .await
        .expect("the form, instead of the JSON body");

    // Multipart: the boundary is the form's, so the server reads the parts it carries.
    let form = specwire::Multipart::new()
        .text("purpose", "fine-tune")
        .file("file", "a.txt", "text/plain", &b"abc"[..]);
    let content_type = form.content_type();
    let boundary = content_type.rsplit('=').next().unwrap().to_owned();
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
         Content-Type: text/plain\r\n\r\nabc\r\n--{boundary}--\r\n"
    );
    expect_upload(&server, &content_type, &expected).await;
    files
        .create_file(meta())
        .body_multipart(form)
        .send()
        .await
        .expect("multipart, instead of the JSON body");
}

#[tokio::test]
async fn documented_error_bodies_decode_as_their_schemas() {
    let server = MockServer::start().await;
    let fail = |status: u16, media_type: &str, body: serde_json::Value| {
        ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), media_type)
    };
    Mock::given(path("/files"))
        .and(header("x-case", "invalid"))
        .respond_with(fail(
            422,
            "application/json",
            serde_json::json!({"message": "invalid file", "fields": ["name", "size"]}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/files"))
        .and(header("x-case", "down"))
        .respond_with(fail(
            503,
            "application/problem+json",
            serde_json::json!({"title": "Unavailable", "status": 503}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/files"))
        .and(header("x-case", "other"))
        .respond_with(fail(
            422,
            "application/json",
            serde_json::json!({"oops": true}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/chat/completions"))
        .respond_with(fail(
            400,
            "application/json",
            serde_json::json!({"error": {"message": "no such model", "type": "invalid_request_error", "code": "model_not_found"}}),
        ))
        .mount(&server)
        .await;
    let files = Files::new(client(&server));
    let upload = |case: &'static str| {
        files
            .create_file(models::FileMeta::new("a.txt", 3))
            .header("x-case", case)
            .send()
    };

    // 422: its own schema, with the field list.
    let error = upload("invalid").await.unwrap_err();
    let invalid = error
        .body::<models::ValidationError>()
        .expect("the 422 schema");
    assert_eq!(invalid.fields, ["name", "size"]);
    assert_eq!(error.body::<models::Problem>(), None);
    assert_eq!(
        error.to_string(),
        "createFile failed with 422 Unprocessable Entity: invalid file"
    );
    // Any other status: `default`'s schema, read from `application/problem+json`.
    let error = upload("down").await.unwrap_err();
    let problem = error.body::<models::Problem>().expect("the default schema");
    assert_eq!(
        (problem.title.as_str(), problem.status),
        ("Unavailable", 503)
    );
    // A body that is not the documented schema is kept, raw, as an unexpected status.
    let error = upload("other").await.unwrap_err();
    let specwire::Error::UnexpectedStatus(unexpected) = &error else {
        panic!("not the documented schema: {error:?}");
    };
    assert_eq!(&unexpected.body[..], br#"{"oops":true}"#);
    assert_eq!(error.body::<models::ValidationError>(), None);

    // An OpenAI-style error object: typed, and its code is the error code.
    let error = Chat::new(client(&server))
        .create_chat_completion(completion_request(false))
        .send()
        .await
        .unwrap_err();
    let refused = error
        .body::<models::ErrorResponse>()
        .expect("the 400 schema");
    assert_eq!(refused.error.message, "no such model");
    assert_eq!(error.error_code().as_deref(), Some("model_not_found"));
}

#[tokio::test]
async fn a_generated_crates_user_agent_names_that_crate_and_its_version() {
    let server = MockServer::start().await;
    // The fixture is compiled into this package, so the generated `client_builder()` names it.
    let agent = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    assert_eq!(agent, "atlas-sdk-tests/0.1.0");
    Mock::given(path("/logs"))
        .and(header("user-agent", agent))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let lines = Logs::new(client(&server))
        .list_logs()
        .send()
        .await
        .expect("sent with the crate's user agent");
    assert!(lines.is_empty());
}
