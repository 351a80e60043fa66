// TempDir: a fresh directory for socket files, removed with everything in
// it at the end of the test.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <doctest/doctest.h>

namespace metalio::test {

/// A directory under /tmp (short, so that the paths of socket files in it
/// fit `sun_path`), made at construction and removed at destruction.
class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/metalio-test-XXXXXX";
        const char* made = ::mkdtemp(pattern);
        REQUIRE_MESSAGE(made != nullptr, "mkdtemp failed");
        path_ = made;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// A path inside the directory.
    [[nodiscard]] std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

private:
    std::string path_;
};

}  // namespace metalio::test
