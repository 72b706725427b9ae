// docs/protocol.md carries test vectors for other implementations. This test recomputes them
// from their inputs and requires the document to say exactly that: a changed byte fails.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/support/protocol_vectors.h"

TEST_CASE("docs/protocol.md test vectors match what the code computes") {
  std::ifstream in(ESS_PROTOCOL_DOC);
  REQUIRE_MESSAGE(in, "cannot read " ESS_PROTOCOL_DOC);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  auto begin = doc.find(ess::test::kVectorsBegin);
  auto end = doc.find(ess::test::kVectorsEnd);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  std::string in_doc = doc.substr(begin, end - begin + std::string(ess::test::kVectorsEnd).size() + 1);
  std::string computed = ess::test::ProtocolVectorsMarkdown();
  if (in_doc != computed) {
    // Point at the first differing line so the failure says which vector changed.
    std::istringstream a(in_doc), b(computed);
    std::string la, lb;
    int line = 0;
    while (std::getline(a, la) && std::getline(b, lb)) {
      ++line;
      if (la != lb) break;
    }
    FAIL("vectors differ at line " << line << " of the block:\n  doc:  " << la
                                   << "\n  code: " << lb);
  }
}
