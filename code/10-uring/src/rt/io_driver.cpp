#include "metalio/rt/ring/io_driver.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "metalio/rt/error.hpp"

namespace metalio::rt::ring {

namespace {

// The tokens that are not an Operation's address (no object lives at 0 or 1).
constexpr Token kCancelToken{0};  // the completion of a cancel: nothing to do
constexpr Token kTimerToken{1};   // the timeout that ends a wait at a deadline

// A connection's receive buffer: a recv asks for up to this much.
constexpr std::size_t kInboxSize = 4096;

}  // namespace

constinit thread_local IoDriver* IoDriver::current_ = nullptr;

IoDriver::IoDriver(uring::Driver driver, Executor& executor) noexcept
    : driver_(std::move(driver)), executor_(executor) {}

// [shutdown]
IoDriver::~IoDriver() {
    // Nothing here waits for the kernel: the buffers in flight belong to the
    // uring::Driver's slots, whose destructor (next) cancels every operation
    // and waits for its completion before it frees them. A Socket owns no
    // memory the kernel may touch, so it may go now.
    while (Socket* socket = sockets_) {
        sockets_ = socket->next;
        if (socket->abandoned) {
            delete socket;  // closes its descriptor; the kernel holds its own reference
            continue;
        }
        // A stream that outlives its runtime: its operations end with it,
        // and its next one says Errc::runtime_closed.
        socket->driver = nullptr;
        socket->input.in_flight = socket->output.in_flight = false;
        socket->prev = socket->next = nullptr;
    }
}
// [shutdown]

// [submit]
io::Result<void> IoDriver::submit(Socket& socket, Operation& op) {
    const Token token{reinterpret_cast<std::uintptr_t>(&op)};
    io::Result<uring::OpId> submitted;
    switch (op.kind) {
        case Operation::Kind::recv:
            // The kernel receives into the Socket's buffer, never into the
            // task's: a task may be destroyed before the bytes arrive.
            if (socket.inbox.capacity() == 0) socket.inbox = uring::Buffer(kInboxSize);
            socket.inbox.set_len(0);
            socket.consumed = 0;
            submitted = driver_.recv(socket.fd, std::move(socket.inbox), token);
            break;
        case Operation::Kind::send:
            submitted = driver_.send(socket.fd, std::move(socket.outbox), token);
            break;
        case Operation::Kind::accept:
            submitted = driver_.accept(socket.fd, token);
            break;
    }
    if (!submitted) return std::unexpected(submitted.error());
    op.in_flight = true;
    op.id = *submitted;
    ++in_flight_;
    return {};
}
// [submit]

void IoDriver::abandon(Socket& socket) noexcept {
    socket.abandoned = true;
    for (Operation* op : {&socket.input, &socket.output}) {
        if (Parked* parked = std::exchange(op->parked, nullptr)) {
            // Another task waits on this socket: it ends with io_closed.
            parked->op = nullptr;
            parked->closed = true;
            executor_.schedule(*parked);
        }
        // If the cancel cannot be queued, the operation still ends when the
        // peer sends or closes, or when the runtime goes.
        if (op->in_flight) (void)driver_.cancel(op->id, kCancelToken);
    }
    if (!socket.busy()) release(socket);
}

void IoDriver::release(Socket& socket) noexcept {
    if (socket.prev != nullptr) socket.prev->next = socket.next;
    if (socket.next != nullptr) socket.next->prev = socket.prev;
    if (sockets_ == &socket) sockets_ = socket.next;
    --socket_count_;
    delete &socket;
}

// [turn]
io::Result<void> IoDriver::turn(bool wait, std::optional<std::chrono::nanoseconds> timeout) {
    if (wait && timeout) {
        if (*timeout <= std::chrono::nanoseconds{0}) {
            wait = false;
        } else if (const TimePoint deadline = Clock::now() + *timeout; !armed_until_ || deadline < *armed_until_) {
            // The ring has no wait with a deadline of its own: a timeout
            // operation, submitted with the rest, ends the wait.
            if (auto armed = driver_.timeout(*timeout, kTimerToken); !armed) return std::unexpected(armed.error());
            armed_until_ = deadline;
        }
    }
    // The one system call of the turn: submits what the tasks queued since
    // the last one, and sleeps until something completes.
    if (auto entered = driver_.submit_and_wait(wait ? 1 : 0); !entered) return std::unexpected(entered.error());
    while (auto completion = driver_.next()) complete(std::move(*completion));
    return {};
}
// [turn]

// [complete]
void IoDriver::complete(uring::Completion completion) noexcept {
    if (completion.token == kTimerToken) armed_until_.reset();
    if (completion.token == kTimerToken || completion.token == kCancelToken) return;
    Operation& op = *reinterpret_cast<Operation*>(completion.token.value);
    Socket& socket = *op.socket;
    op.in_flight = false;
    --in_flight_;
    switch (op.kind) {
        case Operation::Kind::recv:
            // The bytes stay in the Socket until a read takes them, whether
            // a task still waits or was cancelled meanwhile.
            socket.inbox = std::move(completion.buffer);
            socket.consumed = 0;
            if (!completion.result) {
                socket.read_error = completion.result.error();
            } else if (*completion.result == 0) {
                socket.eof = true;
            }
            break;
        case Operation::Kind::send:
            socket.outbox = std::move(completion.buffer);
            if (completion.result && *completion.result > 0) {
                socket.sent += *completion.result;
                socket.outbox.consume(*completion.result);
                // A short send: the rest goes at once, without the task.
                if (socket.outbox.len() > 0 && !socket.abandoned) {
                    auto again = submit(socket, op);
                    if (again) return;
                    op.result = std::unexpected(again.error());
                } else {
                    op.result = socket.sent;
                }
            } else if (completion.result) {
                op.result = std::unexpected(std::make_error_code(std::errc::io_error));  // took nothing
            } else {
                op.result = std::unexpected(completion.result.error());
            }
            break;
        case Operation::Kind::accept:
            if (completion.result) {
                socket.accepted = std::move(completion.accepted);
            } else {
                op.result = std::unexpected(completion.result.error());
            }
            break;
    }
    if (socket.abandoned) {
        if (!socket.busy()) release(socket);  // the kernel let go: close and free it
        return;
    }
    if (op.parked != nullptr) executor_.schedule(*op.parked);
}
// [complete]

}  // namespace metalio::rt::ring
