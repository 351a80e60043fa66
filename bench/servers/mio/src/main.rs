//! hello-mio: the benchmark's hello server on mio (see bench/README.md).
//!
//!   hello-mio lean PORT [MAX]        READABLE only, TCP_NODELAY, answers written at once
//!   hello-mio realistic PORT [MAX]   READABLE | WRITABLE registered once, output kept
//!                                    on a partial write, Nagle left on
//!
//! The request logic is hello.rs, the port of hello.c. One thread, level of
//! detail of the C servers: read until WouldBlock (the way mio's own
//! examples read; mio is edge-triggered). Exits after MAX_REQUESTS answers (0: never).
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::io::AsRawFd;

#[path = "../../hello.rs"]
mod hello;
use hello::{hello_answer, hello_feed};

const LISTENER: Token = Token(usize::MAX);

struct Conn {
    stream: TcpStream,
    state: u8,
    pending: Vec<u8>, // realistic mode: what a partial write left (allocated only then)
}

/// Realistic mode: sends `data` after what is pending, keeps what the socket does not take.
fn send_buffered(conn: &mut Conn, data: &[u8]) -> bool {
    if !conn.pending.is_empty() {
        conn.pending.extend_from_slice(data);
        return true;
    }
    match conn.stream.write(data) {
        Ok(n) => {
            conn.pending.extend_from_slice(&data[n..]);
            true
        }
        Err(e) if e.kind() == ErrorKind::WouldBlock => {
            conn.pending.extend_from_slice(data);
            true
        }
        Err(_) => false,
    }
}

/// Realistic mode: a writable event sends what is pending.
fn flush(conn: &mut Conn) -> bool {
    while !conn.pending.is_empty() {
        match conn.stream.write(&conn.pending) {
            Ok(n) => {
                conn.pending.drain(..n);
            }
            Err(e) => return e.kind() == ErrorKind::WouldBlock,
        }
    }
    true
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let realistic = match args.get(1).map(String::as_str) {
        Some("lean") => false,
        Some("realistic") => true,
        _ => {
            eprintln!("usage: hello-mio lean|realistic PORT [MAX_REQUESTS]");
            std::process::exit(2);
        }
    };
    let (port, max) = hello::parse_args(&args[2..]);
    let interests = if realistic { Interest::READABLE | Interest::WRITABLE } else { Interest::READABLE };
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(256);
    let mut listener = TcpListener::bind(format!("127.0.0.1:{}", port).parse().unwrap())?;
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
    // A connection's token is its fd, so the table is an array, as in the C baseline.
    let mut conns: Vec<Option<Conn>> = (0..1024).map(|_| None).collect();
    let mut answered = 0u64;
    let mut buffer = [0u8; 4096];
    let mut out = [0u8; 4096];
    loop {
        poll.poll(&mut events, None)?;
        for event in events.iter() {
            if event.token() == LISTENER {
                loop {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            if !realistic {
                                stream.set_nodelay(true)?;
                            }
                            let fd = stream.as_raw_fd() as usize;
                            if fd >= conns.len() {
                                conns.resize_with(fd * 2, || None);
                            }
                            poll.registry().register(&mut stream, Token(fd), interests)?;
                            conns[fd] = Some(Conn { stream, state: 0, pending: Vec::new() });
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => return Err(e),
                    }
                }
                continue;
            }
            let key = event.token().0;
            let mut close = false;
            if let Some(conn) = conns[key].as_mut() {
                if realistic && event.is_writable() && !flush(conn) {
                    close = true;
                }
                let to_read = !realistic || event.is_readable() || event.is_read_closed() || event.is_error();
                while !close && to_read {
                    match conn.stream.read(&mut buffer) {
                        Ok(0) => close = true,
                        Ok(n) => {
                            let ended = hello_feed(&mut conn.state, &buffer[..n]);
                            if ended > 0 {
                                let length = hello_answer(&mut out, ended);
                                let sent = if length == 0 {
                                    false
                                } else if realistic {
                                    send_buffered(conn, &out[..length])
                                } else {
                                    // The answers are small: the socket buffer takes them whole.
                                    conn.stream.write(&out[..length]).map(|w| w == length).unwrap_or(false)
                                };
                                if !sent {
                                    close = true;
                                    break;
                                }
                                answered += ended as u64;
                                if max != 0 && answered >= max {
                                    std::process::exit(0);
                                }
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                        Err(_) => close = true,
                    }
                }
            }
            if close {
                if let Some(mut conn) = conns[key].take() {
                    let _ = poll.registry().deregister(&mut conn.stream);
                }
            }
        }
    }
}
