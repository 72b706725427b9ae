#pragma once
// The test vectors of docs/protocol.md, computed from fixed inputs with the core library.
// protocol_vectors_test compares them with the document byte for byte; the
// `protocol_vectors` program prints them to refresh the document after a deliberate change:
//   build/tests/protocol_vectors > /tmp/v.md, then replace the block between the markers.
// To add a vector, add a section to the list in ProtocolVectorsMarkdown().

#include <string>
#include <vector>

#include "core/log_entry.h"

namespace ess::test {

inline constexpr const char* kVectorsBegin = "<!-- BEGIN TEST VECTORS -->";
inline constexpr const char* kVectorsEnd = "<!-- END TEST VECTORS -->";
inline constexpr const char* kVectorsRegion = "93";

// Markdown, from kVectorsBegin to kVectorsEnd inclusive.
std::string ProtocolVectorsMarkdown();

// The entries of the vector log (region kVectorsRegion), in log order, with their payloads:
// every one is a valid payload of its kind (core/payload_schema.h) against the common
// referential.
struct VectorEntry {
  Operation operation;
  RecordKind kind;
  int record;  // last byte of the record id 00000000-0000-4000-8000-0000000000NN
  std::uint32_t version;
  std::string payload;
};
std::vector<VectorEntry> ProtocolVectorEntries();

}  // namespace ess::test
