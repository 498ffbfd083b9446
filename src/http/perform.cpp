// perform(): one blocking transfer; perform_streaming() and perform_all(): many, over a LanePool of their own.

#include <optional>

#include "http/transfer.hpp"
#include "olmd/http/client.hpp"
#include "olmd/http/lane_pool.hpp"

namespace olmd::http {

using detail::Transfer;

Result<Response> perform(const Request& req) {
    auto t = Transfer::create(req);
    if (!t) return t.error();
    return (*t)->finish(curl_easy_perform((*t)->handle()));
}

void perform_streaming(std::vector<Request> reqs, int concurrency, const Completion& done) {
    LanePool pool(concurrency);
    pool.perform_streaming(std::move(reqs), done);
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
