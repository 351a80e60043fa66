//! hello-tokio: the benchmark's hello server on tokio, the peer of the
//! stage-09 runtime's server (bench/servers/metalio_rt.cpp).
//!
//!   hello-tokio PORT [MAX]
//!
//! A current_thread runtime and one task per connection, as tokio's
//! documentation writes a server; each task reads, feeds the shared request
//! logic (hello.rs), and answers with write_all. TCP_NODELAY as the runtime's
//! server sets it. Exits after MAX_REQUESTS answers (0: never).
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[path = "../../hello.rs"]
mod hello;
use hello::{hello_answer, hello_feed};

// Answers so far (tokio::spawn wants Send tasks; one thread, so Relaxed).
static ANSWERED: AtomicU64 = AtomicU64::new(0);

async fn serve(mut stream: TcpStream, max: u64) {
    let _ = stream.set_nodelay(true);
    let mut state = 0u8;
    let mut buffer = [0u8; 4096];
    let mut out = [0u8; 4096];
    loop {
        let got = match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let ended = hello_feed(&mut state, &buffer[..got]);
        if ended == 0 {
            continue;
        }
        let length = hello_answer(&mut out, ended);
        if length == 0 || stream.write_all(&out[..length]).await.is_err() {
            return;
        }
        let answered = ANSWERED.fetch_add(ended as u64, Ordering::Relaxed) + ended as u64;
        // The measurement is over: leave at once, as the other servers do.
        if max != 0 && answered >= max {
            std::process::exit(0);
        }
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (port, max) = hello::parse_args(&args[1..]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        loop {
            let (stream, _) = listener.accept().await?;
            tokio::spawn(serve(stream, max));
        }
    })
}
