// olmd_stripe_server: the Stripe test server (tests/support/stripe_test_server.hpp) as its
// own process, for scripts/crashtest and scripts/bench. Serves until SIGTERM/SIGINT.
//   olmd_stripe_server [--port N] [--port-file PATH] [--latency-ms N] [--failure-rate R]
//                      [--drop-rate R] [--seed S] [--api-key-file PATH] [--autocreate] [--threads N]
//                      [--openapi PATH]
// --openapi: the OpenAPI description requests are checked against (spec3.json or the subset
// the build extracts from it; default: the build's subset, or $OLMD_STRIPE_OPENAPI).
// GET /_test/ledger returns the ledger as JSON, GET /_test/violations the refused requests.
//   olmd_stripe_server --extract-openapi FULL OUT
// writes the subset of FULL (spec3.json) the server needs to OUT (run by tests/StripeServer.cmake).
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "support/openapi_description.hpp"
#include "support/stripe_test_server.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
    g_stop = 1;
}

int usage() {
    std::cerr
        << "usage: olmd_stripe_server [--port N] [--port-file PATH] [--latency-ms N] [--failure-rate R]\n"
           "                          [--drop-rate R] [--seed S] [--api-key-file PATH] [--autocreate]\n"
           "                          [--threads N] [--openapi PATH]\n"
           "       olmd_stripe_server --extract-openapi FULL OUT\n";
    return 2;
}

/// Writes the subset of the description in `full` that the server checks against to `out`.
int extract(const std::string& full, const std::string& out) {
    std::ifstream in(full, std::ios::binary);
    if (!in) {
        std::cerr << "olmd_stripe_server: cannot read " << full << "\n";
        return 1;
    }
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded()) {
        std::cerr << "olmd_stripe_server: " << full << " is not JSON\n";
        return 1;
    }
    auto subset = olmd::test::openapi::extract_subset(doc, olmd::test::openapi::stripe_operations());
    if (!subset) {
        std::cerr << "olmd_stripe_server: " << full << ": " << subset.error().message << "\n";
        return 1;
    }
    std::ofstream(out + ".tmp") << subset->dump(1) << "\n";
    if (std::rename((out + ".tmp").c_str(), out.c_str()) != 0) {
        std::cerr << "olmd_stripe_server: cannot write " << out << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--extract-openapi") return extract(argv[2], argv[3]);
    olmd::test::StripeServerOptions o;
    std::string port_file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port")
            o.port = std::stoi(next());
        else if (a == "--port-file")
            port_file = next();
        else if (a == "--latency-ms")
            o.latency_ms = std::stoi(next());
        else if (a == "--failure-rate")
            o.failure_rate = std::stod(next());
        else if (a == "--drop-rate")
            o.drop_rate = std::stod(next());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--threads")
            o.threads = std::stoi(next());
        else if (a == "--autocreate")
            o.autocreate = true;
        else if (a == "--openapi")
            o.openapi = next();
        else if (a == "--api-key-file") {
            std::ifstream in(next());
            std::stringstream ss;
            ss << in.rdbuf();
            std::string k = ss.str();
            while (!k.empty() && (k.back() == '\n' || k.back() == '\r' || k.back() == ' ')) k.pop_back();
            if (k.empty()) {
                std::cerr << "olmd_stripe_server: empty or unreadable --api-key-file\n";
                return 2;
            }
            o.api_key = k;
        } else if (a == "-h" || a == "--help") {
            usage();
            return 0;
        } else {
            std::cerr << "olmd_stripe_server: unknown option " << a << "\n";
            return usage();
        }
    }
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    // Blocked until sigsuspend: a signal arriving before the wait is not lost.
    sigset_t stop, before;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, &before);
    try {
        olmd::test::StripeTestServer server(o);
        if (!port_file.empty()) {
            std::ofstream(port_file + ".tmp") << server.port() << "\n";
            std::rename((port_file + ".tmp").c_str(), port_file.c_str());
        }
        std::cout << "olmd_stripe_server listening on " << server.url() << std::endl;
        while (!g_stop) sigsuspend(&before);
        const auto refused = server.violations();
        std::cout << "olmd_stripe_server: " << server.requests() << " requests, " << server.applied()
                  << " applied, " << refused.size() << " violations of the Stripe description or rules"
                  << std::endl;
        for (std::size_t i = 0; i < refused.size() && i < 20; ++i)
            std::cout << "  violation: " << refused[i].reason << " <- " << refused[i].request << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "olmd_stripe_server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
