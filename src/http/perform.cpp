// perform(): one blocking transfer; perform_all(): many over one curl multi handle.

#include <cstdint>
#include <optional>

#include "http/transfer.hpp"
#include "olmd/http/client.hpp"

namespace olmd::http {

using detail::Transfer;

Result<Response> perform(const Request& req) {
    auto t = Transfer::create(req);
    if (!t) return t.error();
    return (*t)->finish(curl_easy_perform((*t)->handle()));
}

namespace {

/// Runs transfers on one multi handle, keeping at most `limit` in flight.
class MultiRun {
public:
    MultiRun(const std::vector<Request>& reqs, std::size_t limit)
        : reqs_(reqs), limit_(limit), active_(reqs.size()), out_(reqs.size()) {}
    ~MultiRun() {
        for (auto& t : active_)
            if (t) curl_multi_remove_handle(multi_, t->handle());
        if (multi_ != nullptr) curl_multi_cleanup(multi_);
    }
    MultiRun(const MultiRun&) = delete;
    MultiRun& operator=(const MultiRun&) = delete;

    std::vector<Result<Response>> run() {
        if (auto st = detail::ensure_global_init(); !st) return fail_all(st.error().message);
        multi_ = curl_multi_init();
        if (multi_ == nullptr) return fail_all("cannot create a libcurl multi handle");
        start_more();
        while (in_flight_ > 0) {
            int still_running = 0;
            CURLMcode mc = curl_multi_perform(multi_, &still_running);
            if (mc == CURLM_OK) {
                collect_done();
                start_more();
                if (in_flight_ == 0) break;
                mc = curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
            }
            if (mc != CURLM_OK) return fail_all(std::string("libcurl multi: ") + curl_multi_strerror(mc));
        }
        return results();
    }

private:
    /// Adds transfers until `limit_` are in flight or none is left.
    void start_more() {
        while (in_flight_ < limit_ && next_ < reqs_.size()) {
            const std::size_t i = next_++;
            auto t = Transfer::create(reqs_[i]);
            if (!t) {
                out_[i] = t.error();
                continue;
            }
            CURL* easy = (*t)->handle();
            curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<std::uintptr_t>(i)));
            if (const CURLMcode mc = curl_multi_add_handle(multi_, easy); mc != CURLM_OK) {
                out_[i] = Error{std::string("libcurl multi: ") + curl_multi_strerror(mc)};
                continue;
            }
            active_[i] = std::move(*t);
            ++in_flight_;
        }
    }

    /// Moves every finished transfer's outcome into out_.
    void collect_done() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;  // msg is invalid once the handle is removed
            void* priv = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
            const auto i = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(priv));
            curl_multi_remove_handle(multi_, easy);
            out_[i] = active_[i]->finish(code);
            active_[i].reset();
            --in_flight_;
        }
    }

    /// Every request without an outcome yet fails with why.
    std::vector<Result<Response>> fail_all(const std::string& why) {
        for (std::size_t i = 0; i < out_.size(); ++i)
            if (!out_[i]) out_[i] = Error{reqs_[i].method + " " + redact_url(reqs_[i].url) + ": " + why};
        return results();
    }

    std::vector<Result<Response>> results() {
        std::vector<Result<Response>> v;
        v.reserve(out_.size());
        for (auto& r : out_) v.push_back(std::move(*r));
        return v;
    }

    const std::vector<Request>& reqs_;
    const std::size_t limit_;
    CURLM* multi_ = nullptr;
    std::vector<std::unique_ptr<Transfer>> active_;   ///< by request index, while in flight
    std::vector<std::optional<Result<Response>>> out_;
    std::size_t next_ = 0;
    std::size_t in_flight_ = 0;
};

}  // namespace

std::vector<Result<Response>> perform_all(const std::vector<Request>& reqs, int concurrency) {
    MultiRun run(reqs, static_cast<std::size_t>(concurrency < 1 ? 1 : concurrency));
    return run.run();
}

}  // namespace olmd::http
