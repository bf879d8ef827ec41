//! The byte stream the WebSocket protocol runs on: reads come from the socket (after what the HTTP layer had
//! already read past the upgrade request), writes go through the connection's outbox, where they take their turn
//! with the fan-out's. Frames written here are the socket task's own: replies, pings, pongs and the close.

use std::{
    io,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::body::Bytes;
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, Chain, ReadBuf},
    net::tcp::OwnedReadHalf,
};

use super::{hub::Conn, outbox::Offer};

/// The first byte of a final close frame (FIN + opcode 8).
const CLOSE_FRAME: u8 = 0x88;

pub struct Duplex {
    reading: Chain<io::Cursor<Bytes>, OwnedReadHalf>,
    conn: Arc<Conn>,
}

impl Duplex {
    pub fn new(read_ahead: Bytes, reading: OwnedReadHalf, conn: Arc<Conn>) -> Self {
        // A copy: the bytes given are a view of the HTTP layer's whole read buffer, which would stay alive (kilobytes
        // per socket) as long as the view does, even an empty one.
        let read_ahead = Bytes::copy_from_slice(&read_ahead);
        Self { reading: io::Cursor::new(read_ahead).chain(reading), conn }
    }
}

impl AsyncRead for Duplex {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.reading).poll_read(cx, buf)
    }
}

impl AsyncWrite for Duplex {
    /// Takes every byte at once (written, or waiting in the outbox), so the protocol always hands over whole frames:
    /// with no write buffer it writes each frame as soon as it is made.
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let bytes = Bytes::copy_from_slice(buf);
        // Nothing may follow a close frame, not even an event the fan-out is about to write.
        let last = buf.first() == Some(&CLOSE_FRAME);
        Poll::Ready(match self.conn.out.offer_then(bytes, last) {
            Offer::Sent | Offer::Waiting => Ok(buf.len()),
            Offer::Over => Err(io::Error::other("the client stopped reading")),
            Offer::Closed => Err(io::ErrorKind::BrokenPipe.into()),
        })
    }

    /// Bytes in the outbox count as written: the socket's task writes them as the socket drains.
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.conn.out.close();
        Poll::Ready(Ok(()))
    }
}
