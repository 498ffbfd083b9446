// perform(): one blocking transfer; perform_all(): many over one curl multi handle.

#include <cstdint>
#include <deque>
#include <iterator>
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

/// Runs transfers on one multi handle, keeping at most `limit` in flight; each result goes to
/// `done` as soon as its transfer ends, and what `done` returns joins the run.
class MultiRun {
public:
    MultiRun(std::vector<Request> reqs, std::size_t limit, const Completion& done)
        : reqs_(std::make_move_iterator(reqs.begin()), std::make_move_iterator(reqs.end())),
          limit_(limit),
          done_(done),
          active_(reqs_.size()) {}
    ~MultiRun() {
        for (auto& t : active_)
            if (t) curl_multi_remove_handle(multi_, t->handle());
        if (multi_ != nullptr) curl_multi_cleanup(multi_);
    }
    MultiRun(const MultiRun&) = delete;
    MultiRun& operator=(const MultiRun&) = delete;

    void run() {
        if (auto st = detail::ensure_global_init(); !st) return fail_rest(st.error().message);
        multi_ = curl_multi_init();
        if (multi_ == nullptr) return fail_rest("cannot create a libcurl multi handle");
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
            if (mc != CURLM_OK) return fail_rest(std::string("libcurl multi: ") + curl_multi_strerror(mc));
        }
    }

private:
    /// Hands request i's result to done_ and queues what it adds.
    void deliver(std::size_t i, Result<Response> r) {
        for (Request& more : done_(i, std::move(r))) reqs_.push_back(std::move(more));
        active_.resize(reqs_.size());
    }

    /// Adds transfers until `limit_` are in flight or none is left.
    void start_more() {
        while (in_flight_ < limit_ && next_ < reqs_.size()) {
            const std::size_t i = next_++;
            auto t = Transfer::create(reqs_[i]);
            if (!t) {
                deliver(i, t.error());
                continue;
            }
            CURL* easy = (*t)->handle();
            curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<std::uintptr_t>(i)));
            if (const CURLMcode mc = curl_multi_add_handle(multi_, easy); mc != CURLM_OK) {
                deliver(i, Error{std::string("libcurl multi: ") + curl_multi_strerror(mc)});
                continue;
            }
            active_[i] = std::move(*t);
            ++in_flight_;
        }
    }

    /// Delivers every finished transfer's outcome.
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
            Result<Response> r = active_[i]->finish(code);
            active_[i].reset();
            --in_flight_;
            deliver(i, std::move(r));
        }
    }

    /// Every request in flight or not started yet fails with why (added ones included).
    void fail_rest(const std::string& why) {
        for (std::size_t i = 0; i < active_.size(); ++i) {
            if (!active_[i]) continue;
            curl_multi_remove_handle(multi_, active_[i]->handle());
            active_[i].reset();
            --in_flight_;
            deliver(i, Error{reqs_[i].method + " " + redact_url(reqs_[i].url) + ": " + why});
        }
        while (next_ < reqs_.size()) {
            const std::size_t i = next_++;
            deliver(i, Error{reqs_[i].method + " " + redact_url(reqs_[i].url) + ": " + why});
        }
    }

    std::deque<Request> reqs_;  ///< a deque: done_ may add while earlier ones are referenced
    const std::size_t limit_;
    const Completion& done_;
    CURLM* multi_ = nullptr;
    std::vector<std::unique_ptr<Transfer>> active_;  ///< by request index, while in flight
    std::size_t next_ = 0;
    std::size_t in_flight_ = 0;
};

}  // namespace

void perform_streaming(std::vector<Request> reqs, int concurrency, const Completion& done) {
    MultiRun run(std::move(reqs), static_cast<std::size_t>(concurrency < 1 ? 1 : concurrency), done);
    run.run();
}

std::vector<Result<Response>> perform_all(const std::vector<Request>& reqs, int concurrency) {
    std::vector<std::optional<Result<Response>>> got(reqs.size());
    perform_streaming(reqs, concurrency, [&got](std::size_t i, Result<Response> r) {
        got[i] = std::move(r);
        return std::vector<Request>{};
    });
    std::vector<Result<Response>> out;
    out.reserve(got.size());
    for (auto& r : got) out.push_back(r ? std::move(*r) : Result<Response>(Error{"no result"}));
    return out;
}

}  // namespace olmd::http
