//! Response compression (brotli at a fast level, else gzip, by `Accept-Encoding`) that keeps streamed HTML
//! streaming. Leptos sends a page's shell first and the rest as its resources resolve; an encoder that waits for
//! its buffer to fill (tower-http's `CompressionLayer` does: its output only moves when the encoder's 4 KB+ block
//! or the body ends) would hold the shell back until the slowest resource is done. This one compresses whatever
//! the page has produced and flushes the encoder whenever the page has nothing more ready, so every chunk leaves at
//! once, compressed; a page rendered in one go (most of ours) is still compressed as one block.
//!
//! `/pkg` is served precompressed by `ServeDir` (it sets `Content-Encoding` itself, and is skipped here).

use std::{
    io::Write,
    pin::Pin,
    task::{Context, Poll},
};

use axum::{
    body::{Body, Bytes},
    extract::Request,
    middleware::Next,
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body::{Body as HttpBody, Frame, SizeHint};

/// Brotli quality 3: the leads table's 55 KB page (100 rows) takes 0.41 ms to 8,150 B, where quality 4 takes 0.61 ms
/// to 7,711 B and quality 1 0.43 ms to 8,897 B (measured on this 2-core machine). On the busiest pages compression
/// is a quarter of the server's work per request, so the 5 % fewer bytes of quality 4 are not worth a third more
/// CPU. The heavy levels are for the precompressed bundle.
const BROTLI_QUALITY: u32 = 3;
const BROTLI_WINDOW_BITS: u32 = 22;
const GZIP_LEVEL: u32 = 5;
/// Below this, compression costs more than it saves.
const MIN_SIZE: u64 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        })
    }
}

/// The middleware: compresses text responses the client can decode, streaming.
pub async fn compress(request: Request, next: Next) -> Response {
    let encoding = if request.method() == Method::HEAD { None } else { accepted_encoding(request.headers()) };
    let mut response = next.run(request).await;
    response.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let Some(encoding) = encoding.filter(|_| worth_compressing(&response)) else { return response };
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_ENCODING, encoding.header_value());
    response.map(|body| Body::new(CompressedBody::new(body, encoding)))
}

/// brotli if the client takes it, else gzip, else nothing (`q=0` refuses an encoding).
pub fn accepted_encoding(headers: &HeaderMap) -> Option<Encoding> {
    let mut gzip = false;
    let mut brotli = false;
    for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()) {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|parameter| {
                parameter.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            brotli |= name.eq_ignore_ascii_case("br");
            gzip |= name.eq_ignore_ascii_case("gzip");
        }
    }
    if brotli {
        Some(Encoding::Brotli)
    } else if gzip {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

fn worth_compressing(response: &Response) -> bool {
    let status = response.status();
    if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED || status == StatusCode::PARTIAL_CONTENT {
        return false;
    }
    let headers = response.headers();
    if headers.contains_key(header::CONTENT_ENCODING) || headers.contains_key(header::CONTENT_RANGE) {
        return false;
    }
    let small = response.body().size_hint().exact().is_some_and(|size| size < MIN_SIZE);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    !small && compressible(content_type)
}

/// Text of any kind; images, fonts, wasm and archives are already compressed or served precompressed.
fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/json" | "application/javascript" | "application/xml" | "image/svg+xml" | "application/cbor"
        )
}

enum Encoder {
    Brotli(Box<brotli::CompressorWriter<Vec<u8>>>),
    Gzip(flate2::write::GzEncoder<Vec<u8>>),
}

impl Encoder {
    fn new(encoding: Encoding) -> Self {
        match encoding {
            Encoding::Brotli => Self::Brotli(Box::new(brotli::CompressorWriter::new(
                Vec::new(),
                4096,
                BROTLI_QUALITY,
                BROTLI_WINDOW_BITS,
            ))),
            Encoding::Gzip => {
                Self::Gzip(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL)))
            }
        }
    }

    fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Self::Brotli(encoder) => encoder.write_all(data),
            Self::Gzip(encoder) => encoder.write_all(data),
        }
    }

    /// Everything written so far, decodable by the client now (a sync flush), taken out of the encoder.
    fn flush(&mut self) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Brotli(encoder) => {
                encoder.flush()?;
                Ok(std::mem::take(encoder.get_mut()))
            }
            Self::Gzip(encoder) => {
                encoder.flush()?;
                Ok(std::mem::take(encoder.get_mut()))
            }
        }
    }

    /// The rest of the stream, with its end marker.
    fn finish(self) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Brotli(encoder) => Ok(encoder.into_inner()),
            Self::Gzip(encoder) => encoder.finish(),
        }
    }
}

/// A whole body compressed in one go (the page cache keeps pages this way).
pub fn compress_whole(data: &[u8], encoding: Encoding) -> std::io::Result<Vec<u8>> {
    let mut encoder = Encoder::new(encoding);
    encoder.write(data)?;
    encoder.finish()
}

/// The response body, compressed as it streams.
struct CompressedBody {
    inner: Body,
    encoder: Option<Encoder>,
    /// Input written since the last flush.
    unflushed: bool,
}

impl CompressedBody {
    fn new(inner: Body, encoding: Encoding) -> Self {
        Self { inner, encoder: Some(Encoder::new(encoding)), unflushed: false }
    }
}

fn data_frame(bytes: Vec<u8>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
    Poll::Ready(Some(Ok(Frame::data(Bytes::from(bytes)))))
}

impl HttpBody for CompressedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        loop {
            let Some(encoder) = this.encoder.as_mut() else { return Poll::Ready(None) };
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    // HTML and JSON bodies have no trailers; data is all there is to compress.
                    if let Ok(data) = frame.into_data() {
                        encoder.write(&data).map_err(axum::Error::new)?;
                        this.unflushed = true;
                    }
                }
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => {
                    let Some(encoder) = this.encoder.take() else { return Poll::Ready(None) };
                    let rest = encoder.finish().map_err(axum::Error::new)?;
                    return if rest.is_empty() { Poll::Ready(None) } else { data_frame(rest) };
                }
                Poll::Pending => {
                    // The page has nothing more ready (a resource is still loading): send what it has so far.
                    if std::mem::take(&mut this.unflushed) {
                        let ready = encoder.flush().map_err(axum::Error::new)?;
                        if !ready.is_empty() {
                            return data_frame(ready);
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.encoder.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<Encoding> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("header"));
        accepted_encoding(&headers)
    }

    #[test]
    fn brotli_is_preferred_and_q_zero_refuses() {
        assert_eq!(accept("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(accept("gzip"), Some(Encoding::Gzip));
        assert_eq!(accept("br;q=0, gzip;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(accept("identity"), None);
        assert_eq!(accepted_encoding(&HeaderMap::new()), None);
    }

    #[test]
    fn text_is_compressed_and_media_is_not() {
        assert!(compressible("text/html; charset=utf-8"));
        assert!(compressible("application/json"));
        assert!(!compressible("image/png"));
        assert!(!compressible("application/wasm"));
    }
}
