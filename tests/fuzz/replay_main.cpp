// Replays fuzz inputs as an ordinary test: every file of each directory (or each file)
// named on the command line goes through LLVMFuzzerTestOneInput once, in name order.
// A crash, sanitizer report, failed property or escaping exception names the input.

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define OLMD_REPLAY_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define OLMD_REPLAY_SANITIZED 1
#endif
#ifdef OLMD_REPLAY_SANITIZED
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string g_current;  ///< the input being replayed, for the death notices

/// Writes "replay: <input> failed" with async-signal-safe calls only.
void say_which() {
    const char head[] = "\nreplay: the failing input is ";
    (void)!::write(2, head, sizeof head - 1);
    (void)!::write(2, g_current.data(), g_current.size());
    (void)!::write(2, "\n", 1);
}

void on_signal(int sig) {
    say_which();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

/// The files of each argument: a directory's regular files, sorted, or the file itself.
std::vector<std::filesystem::path> inputs(int argc, char** argv) {
    std::vector<std::filesystem::path> out;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path p = argv[i];
        if (!std::filesystem::is_directory(p)) {
            out.push_back(p);
            continue;
        }
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(p))
            if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        out.insert(out.end(), files.begin(), files.end());
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
        return 2;
    }
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_signal);
#ifdef OLMD_REPLAY_SANITIZED
    __sanitizer_set_death_callback(say_which);
#endif
    const auto files = inputs(argc, argv);
    if (files.empty()) {
        std::fprintf(stderr, "replay: no inputs in the given paths\n");
        return 1;
    }
    for (const auto& f : files) {
        g_current = f.string();
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "replay: cannot read %s\n", g_current.c_str());
            return 1;
        }
        const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        try {
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "replay: %s: exception escaped: %s\n", g_current.c_str(), e.what());
            return 1;
        } catch (...) {
            std::fprintf(stderr, "replay: %s: non-standard exception escaped\n", g_current.c_str());
            return 1;
        }
    }
    std::printf("replay: %zu inputs passed\n", files.size());
    return 0;
}
