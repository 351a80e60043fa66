//! hello-mio: the benchmark's hello server on mio (see bench/README.md).
//!
//! Same request logic as bench/servers/hello.h: count the ends of request
//! heads ("\r\n\r\n") with a four-state matcher and answer each with the
//! same fixed response. One thread, level of detail of the C servers: read
//! until WouldBlock (mio is edge-triggered), write the answers at once.
//! Arguments: PORT [MAX_REQUESTS]; exits after MAX_REQUESTS answers (0: never).
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::io::AsRawFd;

const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\nHello world!";
const LISTENER: Token = Token(usize::MAX);

/// Feeds bytes to the end-of-head matcher; returns how many heads ended.
fn feed(state: &mut u8, data: &[u8]) -> usize {
    let mut ended = 0;
    for &byte in data {
        let expected = if *state % 2 == 0 { b'\r' } else { b'\n' };
        if byte == expected {
            *state += 1;
            if *state == 4 {
                ended += 1;
                *state = 0;
            }
        } else {
            *state = if byte == b'\r' { 1 } else { 0 };
        }
    }
    ended
}

struct Conn {
    stream: TcpStream,
    state: u8,
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args.get(1).and_then(|s| s.parse().ok()).expect("usage: hello-mio PORT [MAX_REQUESTS]");
    let max: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(256);
    let mut listener = TcpListener::bind(format!("127.0.0.1:{}", port).parse().unwrap())?;
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
    // A connection's token is its fd, so the table is an array, as in the C baseline.
    let mut conns: Vec<Option<Conn>> = (0..1024).map(|_| None).collect();
    let mut answered = 0u64;
    let mut buffer = [0u8; 4096];
    let mut out = Vec::with_capacity(RESPONSE.len() * 16);
    loop {
        poll.poll(&mut events, None)?;
        for event in events.iter() {
            if event.token() == LISTENER {
                loop {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            stream.set_nodelay(true)?;
                            let fd = stream.as_raw_fd() as usize;
                            if fd >= conns.len() { conns.resize_with(fd * 2, || None); }
                            poll.registry().register(&mut stream, Token(fd), Interest::READABLE)?;
                            conns[fd] = Some(Conn { stream, state: 0 });
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
                loop {
                    match conn.stream.read(&mut buffer) {
                        Ok(0) => { close = true; break; }
                        Ok(n) => {
                            let ended = feed(&mut conn.state, &buffer[..n]);
                            if ended > 0 {
                                out.clear();
                                for _ in 0..ended { out.extend_from_slice(RESPONSE); }
                                // The answers are small: the socket buffer takes them whole.
                                if conn.stream.write(&out).map(|w| w != out.len()).unwrap_or(true) { close = true; break; }
                                answered += ended as u64;
                                if max != 0 && answered >= max { std::process::exit(0); }
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                        Err(_) => { close = true; break; }
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
