/// @file
/// Chooses the selector this build uses: epoll, poll(2) with
/// `cmake -DMETALIO_SELECTOR=poll`, kqueue with `-DMETALIO_SELECTOR=kqueue`,
/// or IOCP on Windows.
#pragma once

// [choose]
#if METALIO_SELECTOR_IOCP
#include "metalio/sys/windows/selector.hpp"
namespace metalio::sys {
namespace selector = iocp;
}
#elif METALIO_SELECTOR_KQUEUE
#include "metalio/sys/unix/selector/kqueue.hpp"
namespace metalio::sys {
namespace selector = kqueue;
}
#elif METALIO_SELECTOR_POLL
#include "metalio/sys/unix/selector/poll.hpp"
namespace metalio::sys {
namespace selector = poll;
}
#else
#include "metalio/sys/unix/selector/epoll.hpp"
namespace metalio::sys {
namespace selector = epoll;
}
#endif

namespace metalio::sys {
/// The selector of this build: sys::epoll::Selector, sys::poll::Selector,
/// sys::kqueue::Selector or sys::iocp::Selector.
using Selector = selector::Selector;
/// The raw event record of this build's selector.
using Event = selector::Event;
}  // namespace metalio::sys
// [choose]
