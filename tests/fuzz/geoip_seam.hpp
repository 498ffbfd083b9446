#pragma once
// The link seam of the geoip targets: they are linked with this http::perform instead of
// src/http/perform.cpp, so a locator's lookup() reads the fuzz input as the service's answer,
// through the very code that reads a real one, without a network.

#include <string>
#include <string_view>

#include "olmd/core/error.hpp"
#include "olmd/http/client.hpp"

namespace olmd::fuzz {

/// Makes the next http::perform return an answer read from text: "!MESSAGE" is a transport
/// error; a first line of 1 to 3 digits is the HTTP status and the rest the body; anything
/// else is a 200 with text as the body. Returns what perform will return.
const Result<http::Response>& script_answer(std::string_view text);

/// The request the last http::perform was given.
const http::Request& last_request();

/// A file holding key, created once per distinct key and removed at exit; for the key files
/// [fraud.ip_address] names.
std::string key_file(const std::string& key);

}  // namespace olmd::fuzz
