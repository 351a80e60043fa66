/// @file
/// rt::spawn: start a task on the runtime that runs this thread.
#pragma once

#include "metalio/io.hpp"
#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/join_handle.hpp"
#include "metalio/rt/task.hpp"

// Its own header, not runtime.hpp's: it needs only the thread's Context,
// so any runtime that sets one (stage 09's, and chapter 10's on the ring)
// gets it by including this file.
namespace metalio::rt {

// [spawn]
/// Spawns @p task on the runtime running this thread (tokio's
/// `task::spawn`) and returns its JoinHandle; dropping the handle
/// detaches the task. Errc::no_runtime outside Runtime::block_on.
template <class T>
io::Result<JoinHandle<T>> spawn(Task<T> task) {
    Context* context = Context::current();
    if (context == nullptr) return std::unexpected(make_error_code(Errc::no_runtime));
    return context->executor.spawn(std::move(task));
}
// [spawn]

}  // namespace metalio::rt
