#pragma once
// A PEM file (certificate, private key, CA bundle) read whole, for gRPC's TLS options on the
// node and on the hub.

#include <string>

namespace ess {

// The file's whole text. Throws std::runtime_error with a French message naming the file when
// it is missing, unreadable or empty (gRPC would otherwise fail later with a vague TLS error).
std::string ReadPemFile(const std::string& path);

}  // namespace ess
