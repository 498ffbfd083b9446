#include "support/fake_geo_server.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace olmd::test {
namespace {

constexpr const char* insights_type = "application/vnd.maxmind.com-insights+json; charset=UTF-8; version=2.1";
constexpr const char* maxmind_error_type = "application/vnd.maxmind.com-error+json; charset=UTF-8; version=2.0";

std::string maxmind_error(const std::string& code, const std::string& message) {
    return nlohmann::json{{"code", code}, {"error", message}}.dump();
}

}  // namespace

std::string base64(const std::string& s) {
    static constexpr char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8) |
                           static_cast<unsigned char>(s[i + 2]);
        out += {abc[(v >> 18) & 63], abc[(v >> 12) & 63], abc[(v >> 6) & 63], abc[v & 63]};
    }
    if (i + 1 == s.size()) {
        const unsigned v = static_cast<unsigned char>(s[i]) << 16;
        out += {abc[(v >> 18) & 63], abc[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == s.size()) {
        const unsigned v = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8);
        out += {abc[(v >> 18) & 63], abc[(v >> 12) & 63], abc[(v >> 6) & 63], '='};
    }
    return out;
}

std::string FakeGeoServer::data(const std::string& relative) {
    const std::string path = std::string(OLMD_SOURCE_DIR) + "/tests/data/" + relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("missing test data " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

FakeGeoServer::FakeGeoServer(Credentials creds)
    : creds_(std::move(creds)),
      maxmind_{{"1.2.3.4", {200, data("maxmind/insights-us-mn.json")}},
               {"81.2.69.160", {200, data("maxmind/insights-gb.json")}}},
      kickfire_{{"8.8.8.8", {200, data("kickfire/8_8_8_8.json")}},
                {"38.140.7.60", {200, data("kickfire/38_140_7_60.json")}},
                {"1.1.1.1", {200, data("kickfire/1_1_1_1.json")}},
                {"241.241.241.241", {200, data("kickfire/241_241_241_241.json")}}},
      server_([this](httplib::Server& s) {
          s.Get(R"(/geoip/v2\.1/insights/(.*))",
                [this](const httplib::Request& q, httplib::Response& r) { serve_maxmind(q, r); });
          s.Get(R"(/v2/company:\(all\))",
                [this](const httplib::Request& q, httplib::Response& r) { serve_kickfire(q, r); });
      }) {}

void FakeGeoServer::record(const httplib::Request& req) {
    ++requests_;
    last_target_ = req.target;
}

void FakeGeoServer::serve_maxmind(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    record(req);
    const std::string auth = req.get_header_value("Authorization");
    if (auth.empty()) {
        res.status = 401;
        res.set_content(maxmind_error("ACCOUNT_ID_REQUIRED", "You have not supplied a MaxMind account ID in the "
                                                             "Authorization header."), maxmind_error_type);
        return;
    }
    if (auth != "Basic " + base64(creds_.account_id + ":" + creds_.license_key)) {
        res.status = 401;
        res.set_content(maxmind_error("AUTHORIZATION_INVALID", "You have supplied an invalid MaxMind account ID "
                                                               "and/or license key in the Authorization header."),
                        maxmind_error_type);
        return;
    }
    const std::string ip = req.matches[1];
    const auto it = maxmind_.find(ip);
    if (it == maxmind_.end()) {
        res.status = 404;
        res.set_content(maxmind_error("IP_ADDRESS_NOT_FOUND", "The value " + ip + " is not in the database."),
                        maxmind_error_type);
        return;
    }
    res.status = it->second.first;
    res.set_content(it->second.second, res.status == 200 ? insights_type : maxmind_error_type);
}

void FakeGeoServer::serve_kickfire(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    record(req);
    last_kickfire_key_ = req.get_param_value("key");
    if (last_kickfire_key_.empty()) {
        res.status = 401;
        res.set_content(data("kickfire/no_api_key.json"), "application/json");
        return;
    }
    if (last_kickfire_key_ != creds_.kickfire_key) {
        res.status = 401;
        res.set_content(data("kickfire/invalid_api_key.json"), "application/json");
        return;
    }
    const auto it = kickfire_.find(req.get_param_value("ip"));
    res.status = it == kickfire_.end() ? 200 : it->second.first;
    res.set_content(it == kickfire_.end() ? data("kickfire/241_241_241_241.json") : it->second.second,
                    "application/json");
}

void FakeGeoServer::answer_maxmind(const std::string& ip, int status, const std::string& code,
                                   const std::string& message) {
    answer_maxmind_raw(ip, status, maxmind_error(code, message));
}

void FakeGeoServer::answer_maxmind_raw(const std::string& ip, int status, const std::string& body) {
    std::lock_guard lock(mu_);
    maxmind_[ip] = {status, body};
}

void FakeGeoServer::answer_kickfire(const std::string& ip, int status, const std::string& body) {
    std::lock_guard lock(mu_);
    kickfire_[ip] = {status, body};
}

int FakeGeoServer::requests() const {
    std::lock_guard lock(mu_);
    return requests_;
}

std::string FakeGeoServer::last_target() const {
    std::lock_guard lock(mu_);
    return last_target_;
}

std::string FakeGeoServer::last_kickfire_key() const {
    std::lock_guard lock(mu_);
    return last_kickfire_key_;
}

}  // namespace olmd::test
