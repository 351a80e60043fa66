// fuzz_replay: runs files through the fuzz harness without libFuzzer, so any
// compiler can build it and `make test` replays the checked-in corpus in every
// build (both selectors, ASan+UBSan, TSan).
//
//   fuzz_replay <file or directory>...
//
// A directory means every regular file in it, in name order. A model mismatch
// aborts inside the harness, which prints what went wrong; the last "replay"
// line above it names the input. Exits 1 if there was nothing to replay (an
// empty corpus would otherwise pass without testing anything).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path path(argv[i]);
        if (fs::is_directory(path)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(path)) {
                if (entry.is_regular_file()) files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end());
            inputs.insert(inputs.end(), files.begin(), files.end());
        } else {
            inputs.push_back(path);
        }
    }
    std::size_t bytes = 0;
    for (const auto& path : inputs) {
        std::ifstream file(path, std::ios::binary);
        if (!file) {
            std::fprintf(stderr, "fuzz_replay: cannot read %s\n", path.c_str());
            return 1;
        }
        const std::vector<char> data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay %s (%zu bytes)\n", path.c_str(), data.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
        bytes += data.size();
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "fuzz_replay: no inputs given (or the corpus directory is empty)\n");
        return 1;
    }
    std::printf("fuzz_replay: %zu inputs (%zu bytes) replayed, every result matched the model\n", inputs.size(),
                bytes);
    return 0;
}
