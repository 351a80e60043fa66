/// @file
/// Buffer: bytes that an operation owns while the kernel may write them.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

namespace metalio::uring {

// [buffer]
/// A heap block of bytes with a length, passed *by value* into every
/// operation that reads or writes memory, and handed back in its
/// Completion (tokio-uring's `IoBuf`/`IoBufMut`).
///
/// The kernel reads or writes the bytes at some moment between the
/// submission and the completion. A borrowed buffer (a span, a reference)
/// could be freed or reused in that time, for instance when the caller
/// gives up waiting. Owning it in the operation makes that impossible:
/// until the completion comes back, nobody else holds the Buffer. Moving a
/// Buffer does not move its bytes. Introduced in chapter 10 (uring).
class Buffer {
public:
    /// No storage.
    Buffer() noexcept = default;
    /// @p capacity bytes of storage, length 0.
    explicit Buffer(std::size_t capacity)
        : data_(std::make_unique_for_overwrite<std::byte[]>(capacity)), capacity_(capacity) {}
    /// Takes @p other's storage; @p other is left empty.
    Buffer(Buffer&& other) noexcept
        : data_(std::move(other.data_)),
          capacity_(std::exchange(other.capacity_, 0)),
          length_(std::exchange(other.length_, 0)) {}
    /// Frees this storage, takes @p other's.
    Buffer& operator=(Buffer&& other) noexcept {
        data_ = std::move(other.data_);
        capacity_ = std::exchange(other.capacity_, 0);
        length_ = std::exchange(other.length_, 0);
        return *this;
    }

    /// The bytes written so far: [0, len()).
    [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {data_.get(), length_}; }
    /// The same bytes as text.
    [[nodiscard]] std::string_view view() const noexcept {
        return {reinterpret_cast<const char*>(data_.get()), length_};
    }
    /// All the storage, for the kernel to fill: [0, capacity()).
    [[nodiscard]] std::byte* data() noexcept { return data_.get(); }
    /// How many bytes are valid.
    [[nodiscard]] std::size_t len() const noexcept { return length_; }
    /// How many bytes fit.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// Says that the first @p length bytes are valid (at most capacity()).
    void set_len(std::size_t length) noexcept { length_ = length < capacity_ ? length : capacity_; }
    /// Replaces the contents with @p text (cut at capacity()); no allocation.
    void assign(std::string_view text) noexcept {
        set_len(text.size());
        if (length_ != 0) std::memcpy(data_.get(), text.data(), length_);
    }

    /// Drops the first @p count bytes (what a short send has sent), moving
    /// the rest to the front; no allocation.
    void consume(std::size_t count) noexcept {
        if (count >= length_) {
            length_ = 0;
            return;
        }
        std::memmove(data_.get(), data_.get() + count, length_ - count);
        length_ -= count;
    }

private:
    std::unique_ptr<std::byte[]> data_;
    std::size_t capacity_ = 0;
    std::size_t length_ = 0;
};
// [buffer]

}  // namespace metalio::uring
