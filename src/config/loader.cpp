#include "olmd/config/loader.hpp"

#include <algorithm>
#include <climits>
#include <exception>

#include "checks.hpp"
#include "olmd/core/files.hpp"
#include "section_readers.hpp"

namespace olmd::config {

namespace {

/// Reads every section of the parsed document into ctx.cfg.
void read_document(detail::LoadContext& ctx, const toml::table& doc) {
    using namespace detail;
    Config& c = ctx.cfg;
    TableReader root(ctx, &doc, "");
    read_daemon(root.section("daemon"), c.daemon);
    read_orders(root.section("orders"), c.orders);
    read_capture(root.section("capture"), c.capture);
    read_reauth(root.section("reauth"), c.reauth);
    read_fraud(root.section("fraud"), c.fraud);
    read_sourcing(root.section("sourcing"), c.sourcing);
    read_fulfillment(root.section("fulfillment"), c.fulfillment);
    read_monitor(root.section("monitor"), c.monitor);
    read_metrics(root.section("metrics"), c.metrics);
    read_smtp(root.section("smtp"), c.smtp);
    read_gateway(root.section("gateway"), c.gateway);
    root.finish();
    ctx.report_unknown_keys();
}

/// Findings in file order; those without a position last.
void sort_by_position(Diagnostics& d) {
    std::stable_sort(d.items.begin(), d.items.end(), [](const Diagnostic& a, const Diagnostic& b) {
        const auto key = [](const Diagnostic& x) {
            return std::pair{x.line > 0 ? x.line : INT_MAX, x.column};
        };
        return key(a) < key(b);
    });
}

LoadResult fail(const std::string& path, const std::string& message) {
    LoadResult r;
    auto cfg = std::make_shared<Config>();
    cfg->source_path = path;
    r.config = cfg;
    r.diagnostics.error(path, 0, 0, "", message);
    r.parsed = false;
    return r;
}

}  // namespace

LoadResult load_config_text(const std::string& text, const std::string& path) {
    auto cfg = std::make_shared<Config>();
    cfg->source_path = path;
    LoadResult result;
    detail::LoadContext ctx(path, *cfg, result.diagnostics);
    try {
        toml::table doc;
        try {
            doc = toml::parse(text, path);
        } catch (const toml::parse_error& e) {
            ctx.error("", detail::to_pos(e.source()), "TOML syntax error: " + std::string(e.description()));
            result.config = std::move(cfg);  // nothing was read: all defaults
            result.parsed = false;
            return result;
        }
        read_document(ctx, doc);
        detail::check_required(ctx);
        detail::check_files(ctx);
        detail::check_warnings(ctx);
        detail::check_status_flow(ctx);
    } catch (const std::exception& e) {
        ctx.error("", {}, std::string("internal error while reading the configuration: ") + e.what());
    }
    sort_by_position(result.diagnostics);
    result.config = std::move(cfg);
    return result;
}

LoadResult load_config_file(const std::string& path) {
    const std::string what_to_do = "; pass --config PATH or set OLMD_CONFIG to the configuration file";
    if (path.empty()) return fail(path, "no configuration file given" + what_to_do);
    auto text = files::read_regular_file(path, files::kMaxConfigBytes, "configuration file");
    if (!text) return fail(path, "cannot read " + text.error().message + what_to_do);
    return load_config_text(*text, path);
}

}  // namespace olmd::config
