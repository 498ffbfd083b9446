// LanePool: runs from several callers over one curl multi handle on the pool's own thread.
// Callers queue a Run and sleep on a condition variable; the thread starts transfers from the
// earliest run that has one left, hands each result over as it ends, and wakes a run's caller
// when its last result was handed over. A caller's Run lives on its stack until then.

#include "olmd/http/lane_pool.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include "http/transfer.hpp"

namespace olmd::http {

using detail::Transfer;

namespace {

/// One caller's requests; after it is queued only the pool's thread touches reqs/next/in_flight.
struct Run {
    std::deque<Request> reqs;  ///< a deque: done may add while earlier ones are referenced
    const Completion* done = nullptr;
    std::size_t next = 0;       ///< the first request not started yet
    std::size_t in_flight = 0;  ///< started and not handed over
    bool finished = false;      ///< set under the pool's mutex: the caller may return
    std::exception_ptr thrown;  ///< the first exception done threw, rethrown to the caller
};

/// One transfer in flight.
struct Slot {
    Run* run = nullptr;
    std::size_t index = 0;
    std::unique_ptr<Transfer> transfer;
};

/// The error every request of a run gets when the pool cannot perform it.
Error failure(const Request& r, const std::string& why) {
    return Error{r.method + " " + redact_url(r.url) + ": " + why};
}

/// Hands request i of run its result, queueing what done adds to the same run; an exception done
/// throws is kept for the run's caller (the pool's thread goes on with the other runs).
void deliver(Run& run, std::size_t i, Result<Response> r) {
    try {
        for (Request& more : (*run.done)(i, std::move(r))) run.reqs.push_back(std::move(more));
    } catch (...) {
        if (!run.thrown) run.thrown = std::current_exception();
    }
}

}  // namespace

struct LanePool::Impl {
    explicit Impl(int concurrency) : limit(static_cast<std::size_t>(concurrency < 1 ? 1 : concurrency)) {
        if (auto st = detail::ensure_global_init(); !st) {
            broken = st.error().message;
            return;
        }
        multi = curl_multi_init();
        if (multi == nullptr) broken = "cannot create a libcurl multi handle";
    }
    ~Impl() {
        {
            std::lock_guard<std::mutex> lk(m);
            stopping = true;
        }
        if (multi != nullptr) curl_multi_wakeup(multi);
        if (worker.joinable()) worker.join();
        for (auto& s : active) curl_multi_remove_handle(multi, s.transfer->handle());
        if (multi != nullptr) curl_multi_cleanup(multi);
    }

    /// The pool's thread: until stopped with nothing queued.
    void loop() {
        while (true) {
            {
                std::lock_guard<std::mutex> lk(m);
                runs.splice(runs.end(), incoming);
                if (stopping && runs.empty()) return;
            }
            start_more();
            settle();
            int still_running = 0;
            CURLMcode mc = curl_multi_perform(multi, &still_running);
            if (mc == CURLM_OK) {
                collect_done();
                start_more();
                settle();
                mc = curl_multi_poll(multi, nullptr, 0, 1000, nullptr);  // a new run wakes it
            }
            if (mc != CURLM_OK) fail_all(std::string("libcurl multi: ") + curl_multi_strerror(mc));
        }
    }

    /// Adds transfers, earliest run first, until every lane is busy or nothing is left to start.
    void start_more() {
        for (auto it = runs.begin(); it != runs.end() && active.size() < limit;) {
            Run& run = **it;
            if (run.next >= run.reqs.size()) {
                ++it;
                continue;
            }
            const std::size_t i = run.next++;
            auto t = Transfer::create(run.reqs[i]);
            if (!t) {
                deliver(run, i, t.error());
                continue;  // what done added is started from the same run
            }
            active.push_back(Slot{&run, i, std::move(*t)});
            Slot& slot = active.back();
            CURL* easy = slot.transfer->handle();
            curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(&slot));
            if (const CURLMcode mc = curl_multi_add_handle(multi, easy); mc != CURLM_OK) {
                active.pop_back();
                deliver(run, i, Error{std::string("libcurl multi: ") + curl_multi_strerror(mc)});
                continue;
            }
            ++run.in_flight;
        }
    }

    /// Hands over every finished transfer's result.
    void collect_done() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;  // msg is invalid once the handle is removed
            void* priv = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
            curl_multi_remove_handle(multi, easy);
            auto it = active.begin();
            while (it != active.end() && &*it != priv) ++it;
            if (it == active.end()) continue;
            Run& run = *it->run;
            const std::size_t i = it->index;
            Result<Response> r = it->transfer->finish(code);
            active.erase(it);
            --run.in_flight;
            deliver(run, i, std::move(r));
        }
    }

    /// Wakes the callers of runs with nothing left to start or in flight.
    void settle() {
        bool any = false;
        for (auto it = runs.begin(); it != runs.end();) {
            Run& run = **it;
            if (run.in_flight > 0 || run.next < run.reqs.size()) {
                ++it;
                continue;
            }
            it = runs.erase(it);
            std::lock_guard<std::mutex> lk(m);
            run.finished = true;
            any = true;
        }
        if (any) finished_cv.notify_all();
    }

    /// Every request in flight or not started yet, of every run, fails with why (added ones included).
    void fail_all(const std::string& why) {
        while (!active.empty()) {
            Slot& s = active.front();
            curl_multi_remove_handle(multi, s.transfer->handle());
            Run& run = *s.run;
            const std::size_t i = s.index;
            active.pop_front();
            --run.in_flight;
            deliver(run, i, failure(run.reqs[i], why));
        }
        for (Run* run : runs)
            while (run->next < run->reqs.size()) {
                const std::size_t i = run->next++;
                deliver(*run, i, failure(run->reqs[i], why));
            }
        settle();
    }

    const std::size_t limit;
    std::string broken;  ///< set by the constructor: why no run can be performed
    CURLM* multi = nullptr;
    std::mutex m;
    std::condition_variable finished_cv;
    std::list<Run*> incoming;  ///< queued by callers, under m
    bool stopping = false;     ///< under m
    std::thread worker;        ///< started by the first run, under m
    // The pool's thread only:
    std::list<Run*> runs;  ///< in the order they were queued
    std::list<Slot> active;
};

LanePool::LanePool(int concurrency) : impl_(std::make_unique<Impl>(concurrency)) {}

LanePool::~LanePool() = default;

int LanePool::concurrency() const { return static_cast<int>(impl_->limit); }

void LanePool::perform_streaming(std::vector<Request> reqs, const Completion& done) {
    if (reqs.empty()) return;
    Run run;
    run.reqs.assign(std::make_move_iterator(reqs.begin()), std::make_move_iterator(reqs.end()));
    run.done = &done;
    Impl& p = *impl_;
    if (!p.broken.empty()) {  // nothing can be sent: every request, the added ones too, fails here
        for (std::size_t i = 0; i < run.reqs.size(); ++i) deliver(run, i, failure(run.reqs[i], p.broken));
        if (run.thrown) std::rethrow_exception(run.thrown);
        return;
    }
    {
        std::lock_guard<std::mutex> lk(p.m);
        p.incoming.push_back(&run);
        if (!p.worker.joinable()) p.worker = std::thread([&p] { p.loop(); });
    }
    curl_multi_wakeup(p.multi);
    {
        std::unique_lock<std::mutex> lk(p.m);
        p.finished_cv.wait(lk, [&run] { return run.finished; });
    }
    if (run.thrown) std::rethrow_exception(run.thrown);
}

}  // namespace olmd::http
