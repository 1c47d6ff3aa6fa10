//! Every media type an operation answers in is typed and reachable (`tests/fixtures/media.yaml`,
//! shaped like an AI API): a chat completion as JSON through `send()` and as server-sent
//! events through `send_events()`, speech as MP3 or WAV bytes, a log as JSON, JSON lines or
//! text. Each method asks for its type with `Accept`; an in-process server answers by it,
//! byte for byte.

use atlas_sdk::Client;
use atlas_sdk_tests::fixtures::media::{self, audio::Audio, chat::Chat, logs::Logs, models};
use futures_util::TryStreamExt as _;
use wiremock::matchers::{header, path};
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
