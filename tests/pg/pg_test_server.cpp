#include "pg/pg_test_server.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace olmd::test {

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

/// The variables of the state file build/pg-test/env, overridden by the environment.
std::map<std::string, std::string> server_variables() {
    std::map<std::string, std::string> vars;
    std::ifstream in(std::string(OLMD_PG_TEST_STATE) + "/env");
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
    }
    for (const char* name :
         {"OLMD_TEST_PG_HOST", "OLMD_TEST_PG_PORT", "OLMD_TEST_PG_USER", "OLMD_TEST_PG_PASSWORD_FILE"})
        if (const char* v = std::getenv(name); v != nullptr && *v != '\0') vars[name] = v;
    return vars;
}

PgServer load_server() {
    auto vars = server_variables();
    PgServer s{vars["OLMD_TEST_PG_HOST"], vars["OLMD_TEST_PG_PORT"], vars["OLMD_TEST_PG_USER"],
               vars["OLMD_TEST_PG_PASSWORD_FILE"], ""};
    if (s.host.empty() || s.port.empty() || s.user.empty() || s.password_file.empty())
        throw std::runtime_error("no PostgreSQL test server: run `scripts/pg-server start " +
                                 std::string(OLMD_PG_TEST_STATE) + "` (ctest does it: fixture pg_server)");
    s.password = trimmed(read_file(s.password_file));
    return s;
}

}  // namespace

std::string PgServer::uri(const std::string& dbname) const {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + dbname;
}

std::string PgServer::conninfo(const std::string& dbname) const {
    return "host=" + host + " port=" + port + " user=" + user + " password=" + password + " dbname=" + dbname;
}

const PgServer& pg_server() {
    static const PgServer server = load_server();
    return server;
}

std::string unique_pg_name(const std::string& prefix) {
    static std::atomic<int> counter{0};
    return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

PgTestDatabase::PgTestDatabase() : name_(unique_pg_name("olmd_t")) {
    pqxx::connection c(pg_server().conninfo("postgres"));
    pqxx::nontransaction n(c);
    n.exec("CREATE DATABASE " + name_);
}

PgTestDatabase::~PgTestDatabase() {
    try {
        pqxx::connection c(pg_server().conninfo("postgres"));
        pqxx::nontransaction n(c);
        n.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The server goes with the fixture's cleanup anyway.
    }
}

void PgTestDatabase::exec(const std::string& sql) const {
    auto c = connect();
    pqxx::work w(c);
    w.exec(sql);
    w.commit();
}

std::string PgTestDatabase::value(const std::string& sql) const {
    auto c = connect();
    pqxx::work w(c);
    const auto r = w.exec(sql);
    if (r.empty()) throw std::runtime_error("no row: " + sql);
    return r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
}

std::string write_pg_config(const TempDir& dir, const std::string& database, const std::string& password_file,
                            const std::string& extra) {
    const std::string path = dir.file("olmd.toml");
    std::string text = "[daemon]\ndatabase = \"" + database + "\"\ntimezone = \"UTC\"\n";
    if (!password_file.empty()) text += "password_file = \"" + password_file + "\"\n";
    write_file(path, text + extra);
    return path;
}

std::string write_password_file(const TempDir& dir, const std::string& name, const std::string& password) {
    const std::string path = dir.file(name);
    write_file(path, password + "\n");
    ::chmod(path.c_str(), 0600);
    return path;
}

}  // namespace olmd::test
