// FR-7: which IPs are worth a lookup. An unparseable, private, loopback,
// link-local or otherwise reserved address makes the test inconclusive without
// asking the service (IANA IPv4/IPv6 special-purpose address registries).
#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "olmd/jobs/fraud/ip_address.hpp"

namespace olmd::jobs::fraud {

namespace {

struct V4Range {
    std::uint32_t net;
    int bits;
};

constexpr std::uint32_t v4(int a, int b, int c, int d) {
    return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) |
           (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

constexpr std::array<V4Range, 15> kV4Reserved{{
    {v4(0, 0, 0, 0), 8},        // "this network"
    {v4(10, 0, 0, 0), 8},       // private
    {v4(100, 64, 0, 0), 10},    // shared address space (carrier-grade NAT)
    {v4(127, 0, 0, 0), 8},      // loopback
    {v4(169, 254, 0, 0), 16},   // link-local
    {v4(172, 16, 0, 0), 12},    // private
    {v4(192, 0, 0, 0), 24},     // IETF protocol assignments
    {v4(192, 0, 2, 0), 24},     // documentation (TEST-NET-1)
    {v4(192, 88, 99, 0), 24},   // 6to4 relay anycast (deprecated)
    {v4(192, 168, 0, 0), 16},   // private
    {v4(198, 18, 0, 0), 15},    // benchmarking
    {v4(198, 51, 100, 0), 24},  // documentation (TEST-NET-2)
    {v4(203, 0, 113, 0), 24},   // documentation (TEST-NET-3)
    {v4(224, 0, 0, 0), 4},      // multicast
    {v4(240, 0, 0, 0), 4},      // reserved, and 255.255.255.255 broadcast
}};

bool v4_public(std::uint32_t a) {
    for (const auto& r : kV4Reserved) {
        const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
        if ((a & mask) == r.net) return false;
    }
    return true;
}

struct V6Range {
    std::array<std::uint8_t, 16> net;
    int bits;
};

bool in_v6(const std::uint8_t* a, const V6Range& r) {
    const int full = r.bits / 8;
    if (std::memcmp(a, r.net.data(), static_cast<std::size_t>(full)) != 0) return false;
    const int rest = r.bits % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (a[full] & mask) == (r.net[static_cast<std::size_t>(full)] & mask);
}

const std::array<V6Range, 10> kV6Reserved{{
    {{0x01, 0x00}, 64},              // 100::/64 discard-only
    {{0x20, 0x01, 0x00, 0x02}, 48},  // 2001:2::/48 benchmarking
    {{0x20, 0x01, 0x00, 0x10}, 28},  // 2001:10::/28 ORCHID (deprecated)
    {{0x20, 0x01, 0x00, 0x20}, 28},  // 2001:20::/28 ORCHIDv2
    {{0x20, 0x01, 0x0d, 0xb8}, 32},  // 2001:db8::/32 documentation
    {{0x3f, 0xff}, 20},              // 3fff::/20 documentation
    {{0xfc}, 7},                     // fc00::/7 unique local
    {{0xfe, 0x80}, 10},              // fe80::/10 link-local
    {{0xfe, 0xc0}, 10},              // fec0::/10 site-local (deprecated)
    {{0xff}, 8},                     // ff00::/8 multicast
}};

bool v6_public(const std::uint8_t* a) {
    static constexpr std::uint8_t zeros[16] = {};
    // ::/128 unspecified and ::1 loopback; other ::/96 forms are IPv4-compatible (deprecated).
    if (std::memcmp(a, zeros, 12) == 0) {
        if (std::memcmp(a + 12, zeros, 3) == 0 && (a[15] == 0 || a[15] == 1)) return false;
        return v4_public(v4(a[12], a[13], a[14], a[15]));
    }
    // ::ffff:0:0/96 IPv4-mapped: the embedded IPv4 address decides.
    static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a, mapped, 12) == 0) return v4_public(v4(a[12], a[13], a[14], a[15]));
    for (const auto& r : kV6Reserved)
        if (in_v6(a, r)) return false;
    return true;
}

}  // namespace

IpClass classify_ip(std::string_view ip) {
    if (ip.empty()) return IpClass::empty;
    if (ip.size() > INET6_ADDRSTRLEN) return IpClass::unparseable;
    char buf[INET6_ADDRSTRLEN + 1];
    std::memcpy(buf, ip.data(), ip.size());
    buf[ip.size()] = '\0';
    in_addr a4{};
    if (::inet_pton(AF_INET, buf, &a4) == 1)
        return v4_public(ntohl(a4.s_addr)) ? IpClass::public_address : IpClass::non_public;
    in6_addr a6{};
    if (::inet_pton(AF_INET6, buf, &a6) == 1)
        return v6_public(a6.s6_addr) ? IpClass::public_address : IpClass::non_public;
    return IpClass::unparseable;
}

}  // namespace olmd::jobs::fraud
