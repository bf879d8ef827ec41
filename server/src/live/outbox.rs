//! What goes out on one socket. Bytes are written straight to the socket by whoever has them (the fan-out for
//! events, the socket's own task for replies and pings), one writer at a time, never splitting a frame. What the
//! kernel does not take at once waits here, bounded, and the socket's task writes it when the socket drains.
//!
//! Why not a queue per socket read by its task: with 10,000 watchers each event then cost 10,000 task wake-ups,
//! polls and copies on top of the 10,000 writes; writing from the fan-out leaves only the writes.

use std::{
    collections::VecDeque,
    io,
    sync::{Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use axum::body::Bytes;
use tokio::{net::tcp::OwnedWriteHalf, sync::Notify, time::Instant};
use tokio_tungstenite::tungstenite::protocol::frame::{
    Frame,
    coding::{Data, OpCode},
};

/// What became of bytes offered to a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// Written to the socket.
    Sent,
    /// Kept until the socket drains (its task was woken to write them).
    Waiting,
    /// Refused: the client let more than the limit pile up (it stopped reading).
    Over,
    /// Refused: the socket is closing or gone.
    Closed,
}

#[derive(Debug)]
pub struct Outbox {
    socket: OwnedWriteHalf,
    state: Mutex<Waiting>,
    /// Wakes the socket's task when bytes start waiting.
    woken: Notify,
    /// Bytes that may wait before the client counts as stuck.
    limit: usize,
}

#[derive(Debug, Default)]
struct Waiting {
    chunks: VecDeque<Bytes>,
    bytes: usize,
    /// When the socket last took bytes while some waited (a client that takes none for too long is stuck).
    progress: Option<Instant>,
    closed: bool,
    /// Held (`hold`): nothing is written; the number of chunks that waited when the hold began.
    held: Option<usize>,
}

impl Outbox {
    pub fn new(socket: OwnedWriteHalf, limit: usize) -> Self {
        Self { socket, state: Mutex::default(), woken: Notify::new(), limit }
    }

    /// Writes `bytes` now if nothing waits before them and the socket takes them; else keeps them (in order).
    /// The lock is held across the write (a non-blocking call) so that two writers never interleave frames.
    pub fn offer(&self, bytes: Bytes) -> Offer {
        self.offer_then(bytes, false)
    }

    /// `offer`, and when `last`, refuses everything after these bytes (a close frame), in the same turn.
    pub fn offer_then(&self, bytes: Bytes, last: bool) -> Offer {
        let mut state = self.lock();
        if state.closed {
            return Offer::Closed;
        }
        state.closed = last;
        if state.held.is_some() || !state.chunks.is_empty() {
            if state.bytes + bytes.len() > self.limit {
                return Offer::Over;
            }
            state.bytes += bytes.len();
            state.chunks.push_back(bytes);
            return Offer::Waiting;
        }
        let rest = match self.socket.try_write(&bytes) {
            Ok(written) if written == bytes.len() => return Offer::Sent,
            Ok(written) => bytes.slice(written..),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => bytes,
            Err(_) => {
                // The peer is gone; its reader sees the end and closes the socket.
                state.closed = true;
                return Offer::Closed;
            }
        };
        state.bytes = rest.len();
        state.chunks.push_back(rest);
        self.leave_to_drain(state);
        Offer::Waiting
    }

    /// Writes nothing until `release_with`: what is offered meanwhile waits. A subscription holds its socket while it
    /// reads the topic's number, so that its answer goes out before any event of the topic.
    pub fn hold(&self) {
        let mut state = self.lock();
        state.held = Some(state.chunks.len());
    }

    /// Ends a hold: `first` goes out before everything offered during the hold, then the rest follows.
    pub fn release_with(&self, first: Bytes) {
        let mut state = self.lock();
        if state.closed {
            state.held = None;
            return;
        }
        let at = state.held.take().unwrap_or(state.chunks.len());
        state.bytes += first.len();
        state.chunks.insert(at, first);
        if self.write_waiting(&mut state).is_ok() && !state.chunks.is_empty() {
            self.leave_to_drain(state);
        }
    }

    /// Bytes wait that the socket did not take: the socket's task (`drain`) writes them as it drains, and counts a
    /// stuck client from now if nothing was waiting before.
    fn leave_to_drain(&self, mut state: MutexGuard<'_, Waiting>) {
        state.progress.get_or_insert_with(Instant::now);
        drop(state);
        self.woken.notify_one();
    }

    /// Refuses everything from now on (the socket is closing: nothing may follow its close frame).
    pub fn close(&self) {
        self.lock().closed = true;
    }

    /// The socket's task: writes waiting bytes whenever the socket drains. Returns only on failure: the socket
    /// broke, or took nothing for `timeout` while bytes waited (the client is stuck). Safe to drop at any await.
    pub async fn drain(&self, timeout: Duration) -> io::Result<()> {
        loop {
            let progress = {
                let state = self.lock();
                state.progress.filter(|_| state.held.is_none())
            };
            let Some(progress) = progress else {
                self.woken.notified().await;
                continue;
            };
            match tokio::time::timeout_at(progress + timeout, self.socket.writable()).await {
                Ok(ready) => ready?,
                Err(_) => return Err(io::ErrorKind::TimedOut.into()),
            }
            let mut state = self.lock();
            if state.held.is_none() {
                self.write_waiting(&mut state)?;
            }
        }
    }

    /// Writes waiting chunks, in order, until the socket takes no more.
    fn write_waiting(&self, state: &mut Waiting) -> io::Result<()> {
        while let Some(front) = state.chunks.front_mut() {
            match self.socket.try_write(front) {
                Ok(written) => {
                    if written == front.len() {
                        state.chunks.pop_front();
                    } else {
                        *front = front.slice(written..);
                    }
                    state.bytes -= written;
                    state.progress = Some(Instant::now());
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) => {
                    state.closed = true;
                    return Err(error);
                }
            }
        }
        if state.chunks.is_empty() {
            state.progress = None;
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Waiting> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A text message as one unmasked WebSocket frame (what a server sends), built once and written to every watcher.
pub fn text_frame(text: &str) -> Bytes {
    let frame = Frame::message(Bytes::copy_from_slice(text.as_bytes()), OpCode::Data(Data::Text), true);
    let mut bytes = Vec::with_capacity(frame.len());
    // Writing into a Vec cannot fail.
    let _ = frame.format(&mut bytes);
    Bytes::from(bytes)
}

#[cfg(test)]
mod tests {
    use tokio::{
        io::AsyncReadExt,
        net::{TcpListener, TcpStream},
    };

    use super::*;

    /// An outbox on one end of a loopback connection, and the other end (the "client").
    async fn pair(limit: usize) -> (Outbox, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (_, writing) = server.into_split();
        (Outbox::new(writing, limit), client)
    }

    #[tokio::test]
    async fn bytes_the_socket_cannot_take_wait_in_order_up_to_the_limit_and_drain_when_the_client_reads() {
        let (outbox, mut client) = pair(64 * 1024).await;
        assert_eq!(outbox.offer(Bytes::from_static(b"first")), Offer::Sent);
        // A client that does not read: the kernel's buffers fill, then bytes wait, then the limit refuses.
        let chunk = Bytes::from(vec![7_u8; 16 * 1024]);
        let mut offered = 5;
        let mut outcome = Offer::Sent;
        for _ in 0..10_000 {
            outcome = outbox.offer(chunk.clone());
            if outcome != Offer::Sent {
                break;
            }
            offered += chunk.len();
        }
        assert_eq!(outcome, Offer::Waiting, "the kernel took everything");
        offered += chunk.len();
        while outbox.offer(chunk.clone()) == Offer::Waiting {
            offered += chunk.len();
        }
        assert_eq!(outbox.offer(chunk.clone()), Offer::Over);
        assert_eq!(outbox.offer(Bytes::from_static(b"last")), Offer::Waiting, "small bytes still fit");
        offered += 4;

        // The client reads everything while the outbox drains: every byte arrives, in order.
        let reading = tokio::spawn(async move {
            let mut received = vec![0_u8; offered];
            client.read_exact(&mut received).await.unwrap();
            received
        });
        let received = tokio::select! {
            received = reading => received.unwrap(),
            failed = outbox.drain(Duration::from_secs(5)) => panic!("drain failed: {failed:?}"),
        };
        assert_eq!(&received[..5], b"first");
        assert!(received[5..offered - 4].iter().all(|byte| *byte == 7));
        assert_eq!(&received[offered - 4..], b"last");
    }

    #[tokio::test]
    async fn what_is_offered_during_a_hold_follows_the_answer_that_ends_it() {
        let (outbox, mut client) = pair(64 * 1024).await;
        outbox.hold();
        assert_eq!(outbox.offer(Bytes::from_static(b"event")), Offer::Waiting);
        outbox.release_with(Bytes::from_static(b"answer"));
        let mut received = [0_u8; 11];
        client.read_exact(&mut received).await.unwrap();
        assert_eq!(&received, b"answerevent");
    }

    #[tokio::test]
    async fn a_client_that_takes_nothing_fails_the_drain_and_a_close_frame_is_the_last_thing_sent() {
        let (outbox, _client) = pair(1 << 20).await;
        let chunk = Bytes::from(vec![1_u8; 64 * 1024]);
        while outbox.offer(chunk.clone()) == Offer::Sent {}
        let failed = outbox.drain(Duration::from_millis(200)).await;
        assert_eq!(failed.map_err(|error| error.kind()), Err(io::ErrorKind::TimedOut));

        assert_eq!(outbox.offer_then(Bytes::from_static(b"\x88\x00"), true), Offer::Waiting);
        assert_eq!(outbox.offer(Bytes::from_static(b"after")), Offer::Closed);
    }

    #[test]
    fn a_text_frame_is_final_unmasked_and_carries_its_length() {
        assert_eq!(&text_frame("oi")[..], b"\x81\x02oi");
        let long = "x".repeat(300);
        let frame = text_frame(&long);
        assert_eq!(&frame[..4], &[0x81, 126, 0x01, 0x2c]);
        assert_eq!(frame.len(), 4 + 300);
    }
}
