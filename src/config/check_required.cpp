// Keys that become required when a feature is enabled, and the files they name.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <optional>

#include "checks.hpp"
#include "olmd/core/credentials.hpp"
#include "olmd/core/files.hpp"

namespace olmd::config::detail {

namespace {

/// OPS-10: a GeoIP2 City database is some 70 MB; anything past 2 GiB is not one.
constexpr std::size_t kMaxMmdbBytes = std::size_t{2} * 1024 * 1024 * 1024;

/// OPS-8: a secret file, read where it would be at run time (the path, or systemd's
/// $CREDENTIALS_DIRECTORY/<basename>): a regular file of at most 4 KiB holding one non-empty
/// line. Warns when group or others may read it. `path` becomes the file actually used.
void check_secret_file(LoadContext& ctx, const std::string& key, std::string& path, const std::string& what) {
    const SourcePos p = ctx.pos(key);
    const std::string used = files::secret_path(path);
    if (auto secret = files::read_credential(path, what); !secret) {
        ctx.error(key, p, secret.error().message);
        return;
    }
    struct stat st {};
    if (::stat(used.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        ctx.warning(key, p, what + " \"" + used + "\" is accessible by group or others (mode " + mode +
                                "); chmod 600 it");
    }
    path = used;
}

/// Error when a job is enabled with an empty status filter.
void require_statuses(LoadContext& ctx, const std::string& job, const JobCommon& c, const std::string& rule) {
    if (!c.enabled || !c.statuses.empty()) return;
    ctx.error(job + ".statuses", ctx.first_pos({job + ".statuses", job + ".enabled", job}),
              "required when [" + job + "] is enabled: list the statuses of the orders it processes (" + rule + ")");
}

/// Error when a string key needed by an enabled feature is empty; true when present.
bool require_text(LoadContext& ctx, const std::string& key, const std::string& value, const std::string& when,
                  const std::vector<std::string>& fallback_keys) {
    if (!value.empty()) return true;
    std::vector<std::string> where{key};
    where.insert(where.end(), fallback_keys.begin(), fallback_keys.end());
    ctx.error(key, ctx.first_pos(where), "required when " + when);
    return false;
}

void check_ip_address(LoadContext& ctx) {
    auto& ip = ctx.cfg.fraud.ip_address;
    if (!ip.enabled) return;
    const std::string s = "fraud.ip_address.";
    const std::vector<std::string> near{s + "service", s + "enabled", "fraud.ip_address"};
    switch (ip.service) {
        case IpService::maxmind:
            require_text(ctx, s + "account_id", ip.account_id, "service = \"maxmind\" (your MaxMind account id)", near);
            if (require_text(ctx, s + "license_key_file", ip.license_key_file,
                             "service = \"maxmind\" (a file holding the license key)", near))
                check_secret_file(ctx, s + "license_key_file", ip.license_key_file, "license key file");
            break;
        case IpService::kickfire:
            if (require_text(ctx, s + "key_file", ip.key_file, "service = \"kickfire\" (a file holding the API key)",
                             near))
                check_secret_file(ctx, s + "key_file", ip.key_file, "KickFire key file");
            break;
        case IpService::mmdb:
            if (require_text(ctx, s + "database", ip.database,
                             "service = \"mmdb\" (path of a GeoIP2/GeoLite2 City .mmdb file)", near)) {
                if (auto ok = files::check_regular_file(ip.database, kMaxMmdbBytes, "GeoIP database"); !ok)
                    ctx.error(s + "database", ctx.pos(s + "database"), "cannot read " + ok.error().message);
                else if (::access(ip.database.c_str(), R_OK) != 0)
                    ctx.error(s + "database", ctx.pos(s + "database"),
                              "cannot read GeoIP database " + ip.database + ": " + std::strerror(errno));
            }
            break;
    }
}

}  // namespace

void check_required(LoadContext& ctx) {
    Config& cfg = ctx.cfg;
    require_statuses(ctx, "reauth", cfg.reauth, "RA-2");
    require_statuses(ctx, "fraud", cfg.fraud, "FR-1");
    require_statuses(ctx, "sourcing", cfg.sourcing, "SRC-1");

    const auto& f = cfg.fraud;
    if ((f.grand_total.enabled || f.grand_total_and_shipping_method.enabled) && !f.grand_total.threshold) {
        const std::string which =
            f.grand_total.enabled ? "[fraud.grand_total]" : "[fraud.grand_total_and_shipping_method]";
        ctx.error("fraud.grand_total.threshold",
                  ctx.first_pos({"fraud.grand_total.threshold", "fraud.grand_total.enabled",
                                 "fraud.grand_total_and_shipping_method.enabled"}),
                  "required when " + which + " is enabled: the grand total above which an order fails, e.g. "
                  "threshold = \"500.00\" (FR-2, FR-4)");
    }
    check_ip_address(ctx);

    auto& g = cfg.gateway;
    if (g.kind == GatewayKind::stripe &&
        require_text(ctx, "gateway.api_key_file", g.api_key_file, "kind = \"stripe\" (a file holding the secret key)",
                     {"gateway.kind", "gateway"}))
        check_secret_file(ctx, "gateway.api_key_file", g.api_key_file, "Stripe API key file");

    if (!cfg.smtp.password_file.empty())
        check_secret_file(ctx, "smtp.password_file", cfg.smtp.password_file, "SMTP password file");
    if (!cfg.daemon.password_file.empty())
        check_secret_file(ctx, "daemon.password_file", cfg.daemon.password_file, "PostgreSQL password file");
}

}  // namespace olmd::config::detail
