//! The floor under the live bench (`benches/live.rs`): the same fan-out with no server and no protocol at all.
//! Two sender threads write one 120-byte message to their half of N loopback TCP sockets (TCP_NODELAY, as the live
//! channel's sockets), two reader threads take them through epoll and note when each arrived; 20 rounds at 4 per
//! second after 2 warm-up rounds, latency from the moment the senders start. Whatever a WebSocket server and client
//! add (framing, a runtime, JSON) comes on top of this, so the live bench's p99 can only approach this one's.
//!
//! `LIVE_N=10000 cargo bench -p server --bench live_floor`. Client and server sockets live in this one process, so
//! it needs 2 N descriptors: it raises its own limit to the hard limit and uses N = that limit / 2 − 10 if that is
//! smaller than asked (9,990 here, where the hard limit is 20,000).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, reason = "a benchmark binary")]
#![allow(unsafe_code, reason = "epoll has no safe wrapper in std, and this is a benchmark binary")]

#[path = "support/fd_limit.rs"]
mod fd_limit;

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    os::fd::AsRawFd,
    sync::{
        Arc, Barrier,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

const WARM_UP: usize = 2;
const ROUNDS: usize = 22;
const MESSAGE: usize = 120;
const THREADS: usize = 2;

fn main() {
    let limit = fd_limit::raise_fd_limit();
    let asked: usize = std::env::var("LIVE_N").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let n = asked.min((limit as usize / 2).saturating_sub(10));
    println!("live floor: N = {n} sockets (asked {asked}), {THREADS} senders and {THREADS} epoll readers");

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let mut clients = Vec::with_capacity(n);
    let mut servers = Vec::with_capacity(n);
    for _ in 0..n {
        let client = TcpStream::connect(address).unwrap();
        let (server, _) = listener.accept().unwrap();
        server.set_nodelay(true).unwrap();
        client.set_nonblocking(true).unwrap();
        clients.push(client);
        servers.push(server);
    }
    let clients = Arc::new(clients);
    let servers = Arc::new(servers);

    let start = Instant::now();
    let sent_at = Arc::new(AtomicU64::new(0));
    let round = Arc::new(AtomicUsize::new(0));
    let go = Arc::new(Barrier::new(THREADS + 1));
    let done = Arc::new(Barrier::new(THREADS + 1));

    let senders: Vec<_> = (0..THREADS)
        .map(|lane| {
            let (servers, go, done) = (servers.clone(), go.clone(), done.clone());
            std::thread::spawn(move || {
                let message = [b'x'; MESSAGE];
                for _ in 0..ROUNDS {
                    go.wait();
                    for server in servers.iter().skip(lane).step_by(THREADS) {
                        (&*server).write_all(&message).unwrap();
                    }
                    done.wait();
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..THREADS)
        .map(|lane| {
            let (clients, sent_at, round) = (clients.clone(), sent_at.clone(), round.clone());
            std::thread::spawn(move || read_half(&clients, lane, start, &sent_at, &round))
        })
        .collect();

    for r in 0..ROUNDS {
        std::thread::sleep(Duration::from_millis(250));
        round.store(r, Ordering::SeqCst);
        sent_at.store(start.elapsed().as_nanos() as u64, Ordering::SeqCst);
        go.wait();
        done.wait();
    }
    for sender in senders {
        sender.join().unwrap();
    }
    let mut latencies: Vec<f64> = readers.into_iter().flat_map(|reader| reader.join().unwrap()).collect();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "deliveries: {} of {}; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        n * (ROUNDS - WARM_UP),
        at(0.50),
        at(0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
}

/// Reads every message sent to this lane's half of the sockets; answers the latency (ms) of each after the warm-up.
fn read_half(clients: &[TcpStream], lane: usize, start: Instant, sent_at: &AtomicU64, round: &AtomicUsize) -> Vec<f64> {
    // SAFETY: epoll_create1 takes no pointer.
    let epoll = unsafe { libc::epoll_create1(0) };
    assert!(epoll >= 0, "epoll_create1");
    let mine: Vec<usize> = (lane..clients.len()).step_by(THREADS).collect();
    for &index in &mine {
        let mut event = libc::epoll_event { events: libc::EPOLLIN as u32, u64: index as u64 };
        // SAFETY: the event struct outlives the call; the descriptor is open (the stream lives in `clients`).
        let added = unsafe { libc::epoll_ctl(epoll, libc::EPOLL_CTL_ADD, clients[index].as_raw_fd(), &raw mut event) };
        assert_eq!(added, 0, "epoll_ctl");
    }
    let mut waiting = mine.len() * ROUNDS;
    let mut latencies = Vec::with_capacity(mine.len() * (ROUNDS - WARM_UP));
    let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; 1024];
    let mut buffer = [0_u8; 4096];
    while waiting > 0 {
        // SAFETY: `events` has room for the 1,024 events asked for.
        let ready = unsafe { libc::epoll_wait(epoll, events.as_mut_ptr(), 1024, 5_000) };
        if ready <= 0 {
            break;
        }
        for event in &events[..ready as usize] {
            let index = event.u64 as usize;
            let Ok(read) = (&clients[index]).read(&mut buffer) else { continue };
            let arrived = start.elapsed().as_nanos() as u64;
            for _ in 0..read / MESSAGE {
                waiting -= 1;
                if round.load(Ordering::SeqCst) >= WARM_UP {
                    latencies.push(arrived.saturating_sub(sent_at.load(Ordering::SeqCst)) as f64 / 1e6);
                }
            }
        }
    }
    latencies
}
