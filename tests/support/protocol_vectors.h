#pragma once
// The test vectors of docs/protocol.md, computed from fixed inputs with the core library.
// protocol_vectors_test compares them with the document byte for byte; the
// `protocol_vectors` program prints them to refresh the document after a deliberate change.

#include <string>

namespace ess::test {

inline constexpr const char* kVectorsBegin = "<!-- BEGIN TEST VECTORS -->";
inline constexpr const char* kVectorsEnd = "<!-- END TEST VECTORS -->";

// Markdown, from kVectorsBegin to kVectorsEnd inclusive.
std::string ProtocolVectorsMarkdown();

}  // namespace ess::test
