// OPS-1 at the unit level: the STATUS texts, and what Notifier sends to a
// fake $NOTIFY_SOCKET (an AF_UNIX datagram socket bound in a temp dir).
#include <gtest/gtest.h>

#include <date/tz.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include "olmd/daemon/notifier.hpp"
#include "support/daemon_process.hpp"
#include "support/temp_dir.hpp"
#include "support/scoped_env.hpp"

namespace olmd::test {
namespace {

using namespace std::chrono_literals;

TEST(DaemonNotifier, OPS1_StatusTexts) {
    schedule::FireTime f;
    f.at = *parse_utc("2026-11-22T19:30:00Z");
    f.local = date::local_seconds{date::local_days{date::year{2026} / 11 / 22}} + std::chrono::hours{14} +
              std::chrono::minutes{30};
    f.jobs = {JobKind::capture, JobKind::fraud};
    EXPECT_EQ(daemon::idle_status(f), "idle until 2026-11-22 14:30 (capture,fraud)");
    EXPECT_EQ(daemon::idle_status(std::nullopt), "idle: no enabled job has a schedule");
    EXPECT_EQ(daemon::running_status(JobKind::fraud, 1200, 5000), "running fraud 1200/5000");
}

TEST(DaemonNotifier, OPS1_SendsReadyStatusWatchdogAndStoppingOnce) {
    TempDir dir;
    NotifySocket sock(dir.file("notify"));
    ScopedEnv socket_env("NOTIFY_SOCKET", dir.file("notify"));
    ScopedEnv usec_env("WATCHDOG_USEC", "200000");  // 200 ms: pings every 100 ms
    ScopedEnv pid_env("WATCHDOG_PID", std::nullopt);
    daemon::Notifier n;
    ASSERT_TRUE(n.watchdog_period().has_value());
    EXPECT_EQ(*n.watchdog_period(), 100ms);

    n.ready("started");
    auto m = sock.receive(2s);
    ASSERT_TRUE(m.has_value());
    EXPECT_NE(m->find("READY=1"), std::string::npos) << *m;
    EXPECT_NE(m->find("STATUS=started"), std::string::npos) << *m;

    n.status("idle until 2026-11-22 14:30 (fraud)");
    n.status("idle until 2026-11-22 14:30 (fraud)");  // unchanged: not sent again
    n.status("running fraud 1/2");
    m = sock.receive(2s);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(*m, "STATUS=idle until 2026-11-22 14:30 (fraud)");
    m = sock.receive(2s);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(*m, "STATUS=running fraud 1/2");

    n.watchdog();  // too soon after READY: nothing
    std::this_thread::sleep_for(120ms);
    n.watchdog();
    m = sock.receive(2s);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(*m, "WATCHDOG=1");

    n.stopping();
    n.stopping();
    m = sock.receive(2s);
    ASSERT_TRUE(m.has_value());
    EXPECT_NE(m->find("STOPPING=1"), std::string::npos);
    EXPECT_FALSE(sock.receive(200ms).has_value());
}

TEST(DaemonNotifier, OPS1_WithoutWatchdogOrSocketEverythingIsANoOp) {
    ScopedEnv socket_env("NOTIFY_SOCKET", std::nullopt);
    ScopedEnv usec_env("WATCHDOG_USEC", std::nullopt);
    daemon::Notifier n;
    EXPECT_FALSE(n.watchdog_period().has_value());
    n.ready("started");
    n.status("x");
    n.watchdog();
    n.stopping();
}

}  // namespace
}  // namespace olmd::test
