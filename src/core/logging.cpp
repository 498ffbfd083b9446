#include "olmd/core/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace olmd {

namespace {

/// Writes "<N>message" lines for journald (sd-daemon(3) priority prefixes).
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        int prio = 6;
        switch (msg.level) {
            case spdlog::level::trace:
            case spdlog::level::debug: prio = 7; break;
            case spdlog::level::info: prio = 6; break;
            case spdlog::level::warn: prio = 4; break;
            case spdlog::level::err: prio = 3; break;
            case spdlog::level::critical: prio = 2; break;
            default: prio = 6;
        }
        std::fprintf(stderr, "<%d>%.*s\n", prio, static_cast<int>(msg.payload.size()), msg.payload.data());
    }
    void flush_() override { std::fflush(stderr); }
};

Result<spdlog::level::level_enum> parse_level(std::string_view level) {
    if (level == "warning") return spdlog::level::warn;
    const auto l = spdlog::level::from_str(std::string(level));
    if (l == spdlog::level::off && level != "off")
        return Error{"unknown log level \"" + std::string(level) +
                         "\" (use trace, debug, info, warn, error, critical or off)",
                     exit_code::usage};
    return l;
}

}  // namespace

Status setup_logging(std::string_view level) {
    auto l = parse_level(level);
    if (!l) return l.error();
    std::shared_ptr<spdlog::logger> logger;
    if (std::getenv("JOURNAL_STREAM") != nullptr) {
        logger = std::make_shared<spdlog::logger>("olmd", std::make_shared<JournalSink>());
    } else {
        logger = std::make_shared<spdlog::logger>("olmd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        logger->set_pattern("%Y-%m-%dT%H:%M:%S%z %^%l%$ %v");
    }
    logger->set_level(*l);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
    return ok_status();
}

Status set_log_level(std::string_view level) {
    auto l = parse_level(level);
    if (!l) return l.error();
    spdlog::default_logger()->set_level(*l);
    return ok_status();
}

}  // namespace olmd
