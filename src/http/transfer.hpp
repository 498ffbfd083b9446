#pragma once
// One libcurl easy handle set up from an http::Request, with the buffers its
// callbacks fill; shared by the blocking perform() and the multi-handle perform_all().

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/http/client.hpp"

namespace olmd::http::detail {

/// Initializes libcurl once per process (thread-safe); an Error when it cannot.
Status ensure_global_init();

/// A prepared transfer. Neither copyable nor movable: libcurl keeps pointers to it.
class Transfer {
public:
    /// Validates req and prepares an easy handle for it; an Error when req is malformed.
    static Result<std::unique_ptr<Transfer>> create(const Request& req);
    ~Transfer();
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    /// The easy handle, to run with curl_easy_perform or to add to a multi handle.
    CURL* handle() const { return curl_; }
    /// The Response, or an Error free of secrets, once libcurl finished with code.
    Result<Response> finish(CURLcode code);

private:
    Transfer() = default;
    Status setup(const Request& req);
    std::string scrub(std::string text) const;
    static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self);
    static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self);
    static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

    CURL* curl_ = nullptr;
    curl_slist* header_list_ = nullptr;
    char errbuf_[CURL_ERROR_SIZE] = {};
    std::string what_;                  ///< "GET <redacted url>", for messages
    std::vector<std::string> secrets_;  ///< never to appear in a message
    std::string body_;
    std::vector<Header> headers_;
    bool too_large_ = false;
    const StopToken* stop_ = nullptr;  ///< Request::stop
    std::chrono::milliseconds stop_grace_{0};
    std::optional<std::chrono::steady_clock::time_point> stop_seen_;  ///< when on_progress first saw it
    bool stopped_ = false;             ///< on_progress ended the transfer for a stop request
};

}  // namespace olmd::http::detail
