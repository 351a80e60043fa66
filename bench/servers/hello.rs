//! hello.rs: the request logic of the Rust servers (mio, tokio), a port of
//! hello.c line by line. Both functions stay out of line (#[inline(never)])
//! so that callgrind names them and make bench can take their cost out of
//! the event-loop figure, as it does with hello.c's for the C and C++ servers.

pub const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\nHello world!";

/// Feeds bytes to the end-of-head matcher ("\r\n\r\n"); returns how many heads ended.
#[inline(never)]
pub fn hello_feed(state: &mut u8, data: &[u8]) -> usize {
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

/// Fills `out` with `count` responses; returns the length, or 0 if they do
/// not fit (the servers then close the connection).
#[inline(never)]
pub fn hello_answer(out: &mut [u8], count: usize) -> usize {
    if count * RESPONSE.len() > out.len() {
        return 0;
    }
    for i in 0..count {
        out[i * RESPONSE.len()..(i + 1) * RESPONSE.len()].copy_from_slice(RESPONSE);
    }
    count * RESPONSE.len()
}

/// The command line of every Rust server: PORT [MAX_REQUESTS] (after the mode, if any).
pub fn parse_args(args: &[String]) -> (u16, u64) {
    let port = args.get(0).and_then(|s| s.parse().ok()).expect("usage: PORT [MAX_REQUESTS]");
    let max = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (port, max)
}
