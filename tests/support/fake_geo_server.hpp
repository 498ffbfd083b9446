#pragma once
// A fake of the MaxMind GeoIP2 Insights and KickFire web services for tests,
// serving the recorded bodies in tests/data/{maxmind,kickfire}/ from 127.0.0.1.
//
// MaxMind: GET /geoip/v2.1/insights/{ip} with Basic auth; 1.2.3.4 answers
// insights-us-mn.json (US/MN), 81.2.69.160 insights-gb.json (GB/ENG), other IPs
// 404 IP_ADDRESS_NOT_FOUND; wrong or missing credentials 401.
// KickFire: GET /v2/company:(all)?ip=&key=; 8.8.8.8 (US/CA), 38.140.7.60 (US/GA),
// 1.1.1.1 (AU, no region) answer their recordings, other IPs "not found"; a
// missing key 401 code 901, a wrong key 401 code 900.

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "support/test_http_server.hpp"

namespace olmd::test {

class FakeGeoServer {
public:
    /// The credentials the fake accepts.
    struct Credentials {
        std::string account_id = "123456";
        std::string license_key = "mm-LICENSE-s3cr3t";
        std::string kickfire_key = "kf-KEY-s3cr3t";
    };

    /// Starts serving with the default credentials.
    FakeGeoServer() : FakeGeoServer(Credentials{}) {}
    /// Starts serving, accepting only creds.
    explicit FakeGeoServer(Credentials creds);

    /// "http://127.0.0.1:<port>", the base URL of both services.
    std::string url() const { return server_.url(); }
    /// The credentials it accepts.
    const Credentials& credentials() const { return creds_; }

    /// MaxMind answers ip with status and {"code": code, "error": message}.
    void answer_maxmind(const std::string& ip, int status, const std::string& code, const std::string& message);
    /// MaxMind answers ip with status and this raw body.
    void answer_maxmind_raw(const std::string& ip, int status, const std::string& body);
    /// KickFire answers ip with status and this raw body (after the key check).
    void answer_kickfire(const std::string& ip, int status, const std::string& body);

    /// Requests served so far (both services).
    int requests() const;
    /// Path and query of the last request, as received (query still encoded).
    std::string last_target() const;
    /// The `key` parameter of the last KickFire request, decoded.
    std::string last_kickfire_key() const;

    /// The content of tests/data/<relative>.
    static std::string data(const std::string& relative);

private:
    void serve_maxmind(const httplib::Request& req, httplib::Response& res);
    void serve_kickfire(const httplib::Request& req, httplib::Response& res);
    void record(const httplib::Request& req);

    Credentials creds_;
    mutable std::mutex mu_;
    std::map<std::string, std::pair<int, std::string>> maxmind_;   ///< ip -> status, body
    std::map<std::string, std::pair<int, std::string>> kickfire_;  ///< ip -> status, body
    int requests_ = 0;
    std::string last_target_;
    std::string last_kickfire_key_;
    TestHttpServer server_;  // last: started once the state above exists, stopped first
};

/// Standard base64 of s (for Basic auth headers).
std::string base64(const std::string& s);

}  // namespace olmd::test
