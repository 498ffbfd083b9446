#pragma once
// cpp-httplib 0.11 listens with a backlog of 5, so a burst of more connections has
// SYNs dropped and retried a second later; the test servers raise it.

namespace olmd::test {

/// Calls listen() again, with a large backlog, on this process's listening IPv4 socket bound to port.
void widen_listen_backlog(int port);

}  // namespace olmd::test
